package io.berth.worker.cli.preflight;

import io.berth.worker.config.Ipv4;
import io.berth.worker.coordination.FleetNetwork;
import io.berth.worker.coordination.FleetSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Fleet mode: this host's subnet, gateway and range are the fleet's, as its first worker recorded them under
 * {@code {prefix}/config/network}; a worker with another plan is refused at start.
 */
final class FleetPlanCheck implements Check {

  @Override
  public String name() {
    return "fleet-range";
  }

  @Override
  public List<CheckResult> run(PreflightContext context) {
    PreflightEnv env = context.env();
    if (!env.fleet()) {
      return List.of();
    }
    if (!context.fleet().ok()) {
      return List.of(CheckResult.skip(name(), "needs etcd (see etcd)"));
    }
    if (env.subnet().isEmpty() || env.gateway().isEmpty() || env.ipRange().isEmpty()) {
      return List.of(CheckResult.skip(name(), "needs the BERTH_NETWORK_* settings (see config)"));
    }
    FleetSnapshot snapshot = context.fleet().value();
    FleetNetwork mine = new FleetNetwork(env.subnet().get().toString(), Ipv4.format(env.gateway().get()),
        env.ipRange().get().toString(), env.hostId().orElse(null), Instant.EPOCH);
    String key = FleetNetwork.key(snapshot.prefix());
    if (snapshot.network().isEmpty()) {
      return List.of(CheckResult.ok(name(), "no address plan recorded under " + key + " yet: the first worker"
          + " records its own (subnet " + mine.subnet() + ", gateway " + mine.gateway() + ", range " + mine.ipRange()
          + ")"));
    }
    FleetNetwork fleet = snapshot.network().get();
    List<FleetNetwork.Difference> differences = mine.differencesFrom(fleet);
    if (differences.isEmpty()) {
      return List.of(CheckResult.ok(name(), "this host's plan is the fleet's (" + fleet.describe() + ")"));
    }
    return List.of(CheckResult.fail(name(), "this host's " + differences.stream().map(Object::toString)
            .collect(Collectors.joining(", ")) + " differs from the fleet's plan (" + fleet.describe()
            + "): the worker would refuse to start",
        "set " + differences.stream().map(d -> d.variable() + "=" + d.fleets()).collect(Collectors.joining(" "))
            + " as on every other host; to move the whole fleet to a new plan, stop every worker, etcdctl del " + key
            + ", and start them with it"));
  }
}
