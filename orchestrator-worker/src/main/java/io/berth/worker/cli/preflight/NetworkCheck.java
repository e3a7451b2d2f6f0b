package io.berth.worker.cli.preflight;

import io.berth.worker.config.EnvNames;
import io.berth.worker.config.Ipv4;
import io.berth.worker.docker.DockerInventory;
import io.berth.worker.docker.DockerNetwork;
import io.berth.worker.docker.NetworkSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Docker network already named {@code BERTH_NETWORK_NAME} has the settings the worker would give it; one with other
 * settings makes every request fail with {@code network-conflict}. The comparison is the worker's own
 * ({@link NetworkSpec#differencesFrom}).
 */
final class NetworkCheck implements Check {

  @Override
  public String name() {
    return "network";
  }

  @Override
  public List<CheckResult> run(PreflightContext context) {
    PreflightEnv env = context.env();
    Attempt<DockerInventory> docker = context.docker();
    if (!docker.ok()) {
      return List.of(CheckResult.skip(name(), "needs Docker (see docker)"));
    }
    if (env.parent().isEmpty() || env.driver().isEmpty() || env.mode().isEmpty() || env.subnet().isEmpty()
        || env.gateway().isEmpty() || env.ipRange().isEmpty()) {
      return List.of(CheckResult.skip(name(), "needs the BERTH_NETWORK_* settings (see config)"));
    }
    String driver = env.driver().get().dockerName();
    NetworkSpec spec = new NetworkSpec(env.networkName(), driver, env.parent().get(), env.subnet().get().toString(),
        Ipv4.format(env.gateway().get()), env.ipRange().get().toString(), driver + "_mode", env.mode().get(),
        Map.of());
    Optional<DockerNetwork> existing = docker.value().networks().stream()
        .filter(n -> n.name().equals(spec.name())).findFirst();
    if (existing.isEmpty()) {
      return List.of(CheckResult.ok(name(), "Docker network '" + spec.name() + "' does not exist yet: the worker"
          + " creates it (" + driver + " on " + spec.parent() + ")"));
    }
    List<String> differences = spec.differencesFrom(existing.get());
    if (differences.isEmpty()) {
      return List.of(CheckResult.ok(name(), "Docker network '" + spec.name() + "' exists with these settings: the"
          + " worker uses it"));
    }
    return List.of(CheckResult.fail(name(), "Docker network '" + spec.name() + "' exists with other settings ("
        + String.join("; ", differences) + "): every request would fail with network-conflict",
        "docker network rm " + spec.name() + " once no container uses it (the worker creates it again), or set "
            + EnvNames.NETWORK_NAME + " to another name"));
  }
}
