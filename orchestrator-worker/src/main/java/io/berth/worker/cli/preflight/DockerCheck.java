package io.berth.worker.cli.preflight;

import io.berth.worker.config.EnvNames;
import io.berth.worker.docker.EngineVersion;
import java.util.List;

/** Docker answers at {@code DOCKER_HOST} and speaks API 1.41 or later. */
final class DockerCheck implements Check {

  @Override
  public String name() {
    return "docker";
  }

  @Override
  public List<CheckResult> run(PreflightContext context) {
    PreflightEnv env = context.env();
    Attempt<?> docker = context.docker();
    if (!docker.ok()) {
      return List.of(CheckResult.fail(name(), "no Docker Engine answers at " + env.dockerHost() + ": "
          + docker.problem(), env.dockerIsLocal()
          ? "start Docker (systemctl start docker) and run preflight as a user who may use its socket (root or group"
              + " docker); in a container, mount /var/run/docker.sock; or set " + EnvNames.DOCKER_HOST
          : "check " + EnvNames.DOCKER_HOST + " and that the engine listens there (and its TLS settings)"));
    }
    EngineVersion version = context.dockerVersion();
    if (!version.speaks(EngineVersion.MINIMUM_API)) {
      return List.of(CheckResult.fail(name(), "Docker Engine " + version.version() + " at " + env.dockerHost()
          + " speaks API " + version.apiVersion() + "; Berth needs API " + EngineVersion.MINIMUM_API + " or later",
          "upgrade Docker Engine to 20.10 or later"));
    }
    return List.of(CheckResult.ok(name(), "Docker Engine " + version.version() + " at " + env.dockerHost()
        + ", API " + version.apiVersion() + " (needs " + EngineVersion.MINIMUM_API + " or later)"));
  }
}
