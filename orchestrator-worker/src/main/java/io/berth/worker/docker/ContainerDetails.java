package io.berth.worker.docker;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One container as {@code docker inspect} reports it, for people reading what a host holds. Docker resets the exit
 * code to 0 when a container starts again, so {@code exitCode} is only known while it is not running.
 *
 * @param state Docker's status: created, running, paused, restarting, removing, exited or dead
 * @param startedAt when it last started; null if it never did
 * @param finishedAt when it last stopped, for any reason (a crash, a stop, a restart); null if it never did
 * @param exitCode the last exit code, or null while it runs (Docker no longer knows it then)
 * @param oomKilled whether its last stop was the kernel's OOM killer (Docker keeps this across a start)
 */
public record ContainerDetails(String id, String name, Map<String, String> labels, String state, Instant startedAt,
    Instant finishedAt, Integer exitCode, boolean oomKilled) {

  public ContainerDetails {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(state, "state");
  }

  public String label(String key) {
    return labels.getOrDefault(key, "");
  }

  public boolean running() {
    return "running".equals(state) || "restarting".equals(state) || "paused".equals(state);
  }
}
