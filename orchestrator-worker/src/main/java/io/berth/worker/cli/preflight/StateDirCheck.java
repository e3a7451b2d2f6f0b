package io.berth.worker.cli.preflight;

import io.berth.worker.config.EnvNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Single host: the worker keeps its durable intents in a store under {@code BERTH_STATE_DIR} and cannot start without
 * it. (A fleet keeps them in etcd.)
 */
final class StateDirCheck implements Check {

  @Override
  public String name() {
    return "state-dir";
  }

  @Override
  public List<CheckResult> run(PreflightContext context) {
    PreflightEnv env = context.env();
    if (env.fleet()) {
      return List.of();
    }
    Path dir = env.stateDir().toAbsolutePath();
    if (Files.isDirectory(dir)) {
      return Files.isWritable(dir)
          ? List.of(CheckResult.ok(name(), dir + " is writable (durable intents; keep it on a volume)"))
          : List.of(CheckResult.fail(name(), dir + " is not writable by this user", "chown it to the worker's user,"
              + " or set " + EnvNames.STATE_DIR + " to a writable directory on a volume"));
    }
    if (Files.exists(dir)) {
      return List.of(CheckResult.fail(name(), dir + " exists but is not a directory", "set " + EnvNames.STATE_DIR
          + " to a directory"));
    }
    Path parent = dir.getParent();
    while (parent != null && !Files.exists(parent)) {
      parent = parent.getParent();
    }
    if (parent != null && Files.isDirectory(parent) && Files.isWritable(parent)) {
      return List.of(CheckResult.ok(name(), dir + " does not exist yet: the worker creates it (durable intents;"
          + " keep it on a volume)"));
    }
    return List.of(CheckResult.fail(name(), dir + " does not exist and " + parent + " is not writable by this user",
        "mkdir -p " + dir + " and chown it to the worker's user, or set " + EnvNames.STATE_DIR));
  }
}
