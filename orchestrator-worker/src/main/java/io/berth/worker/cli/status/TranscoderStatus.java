package io.berth.worker.cli.status;

import io.berth.worker.docker.ContainerDetails;
import io.berth.worker.docker.Labels;
import java.time.Duration;
import java.time.Instant;

/**
 * One transcoder of this host as Docker knows it: its labels, and its container's state. No restart count: Berth
 * restarts containers itself ({@code docker start}), so Docker's RestartCount stays 0, and the worker's own count lives
 * in its memory (and in the {@code restartCount} of its events). What Docker does keep is when the container last
 * stopped, and how.
 *
 * @param state Docker's status (running, exited, created, paused, restarting, dead)
 * @param startedAt when it last started (null: never)
 * @param lastExitAt when it last stopped for any reason: a crash, a stop, a restart (null: never)
 * @param lastExitCode its exit code then; null while it runs (Docker resets it on start)
 * @param oomKilled its last stop was the kernel's OOM killer
 */
public record TranscoderStatus(String tenantId, String transcoderId, String roomId, String address, String state,
    String containerName, String containerId, Instant startedAt, Instant lastExitAt, Integer lastExitCode,
    boolean oomKilled) {

  public static TranscoderStatus of(ContainerDetails c) {
    return new TranscoderStatus(c.label(Labels.TENANT), c.label(Labels.TRANSCODER), c.label(Labels.ROOM),
        c.label(Labels.IP), c.state(), c.name(), c.id(), c.startedAt(), c.finishedAt(), c.exitCode(), c.oomKilled());
  }

  public boolean running() {
    return "running".equals(state) || "restarting".equals(state) || "paused".equals(state);
  }

  /** Time since it last started, while it runs. */
  public Duration uptime(Instant now) {
    return running() && startedAt != null ? Duration.between(startedAt, now) : null;
  }
}
