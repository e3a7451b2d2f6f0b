package io.berth.worker.cli.preflight;

import io.berth.worker.cli.Words;
import io.berth.worker.config.EnvNames;
import io.berth.worker.coordination.FleetSnapshot;
import io.berth.worker.docker.DockerInventory;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Fleet mode: etcd answers, and this host id is not live in the fleet on another Docker engine (the worker would be
 * refused: two workers with one host id undo each other's work).
 */
final class EtcdCheck implements Check {

  @Override
  public String name() {
    return "etcd";
  }

  @Override
  public List<CheckResult> run(PreflightContext context) {
    PreflightEnv env = context.env();
    if (!env.fleet()) {
      return List.of();
    }
    String endpoints = env.etcdEndpoints().stream().map(URI::toString).collect(Collectors.joining(","));
    Attempt<FleetSnapshot> fleet = context.fleet();
    if (!fleet.ok()) {
      return List.of(CheckResult.fail(name(), "etcd at " + (endpoints.isEmpty() ? "(none)" : endpoints)
          + " does not answer: " + fleet.problem(), "start etcd, or correct " + EnvNames.ETCD_ENDPOINTS
          + " (http(s)://host:2379, comma-separated), and let the worker through any firewall"));
    }
    FleetSnapshot snapshot = fleet.value();
    String found = "etcd at " + endpoints + " answers: " + Words.count(snapshot.hosts().size(), "live host")
        + (snapshot.hosts().isEmpty() ? "" : " (" + snapshot.hosts().stream().map(FleetSnapshot.Member::hostId)
            .collect(Collectors.joining(", ")) + ")") + ", "
        + Words.count(snapshot.transcoders().size(), "transcoder") + " under " + snapshot.prefix();
    Optional<String> hostId = env.hostId();
    Optional<FleetSnapshot.Member> self = hostId.flatMap(snapshot::host);
    if (self.isEmpty()) {
      return List.of(CheckResult.ok(name(), found));
    }
    Attempt<DockerInventory> docker = context.docker();
    if (!docker.ok()) {
      return List.of(CheckResult.ok(name(), found + "; host id " + hostId.get() + " is live (its engine not compared:"
          + " see docker)"));
    }
    String engine = docker.value().engineId();
    if (engine.equals(self.get().engineId())) {
      return List.of(CheckResult.ok(name(), found + "; host id " + hostId.get() + " is live on this Docker engine"
          + " (a worker runs here; a restart keeps its lease)"));
    }
    return List.of(CheckResult.fail(name(), "host id " + hostId.get() + " is live in the fleet on Docker engine "
        + self.get().engineId() + " (this host's engine is " + engine + "): the worker would be refused",
        "give each host its own " + EnvNames.HOST_ID));
  }
}
