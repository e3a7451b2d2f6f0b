package io.berth.events;

/**
 * Lifecycle: the container exited without being asked to.
 *
 * @param restartCount restarts so far, before the one announced by {@code willRestart}
 * @param willRestart  false when the restart budget is exhausted: the transcoder is gone
 */
public record ContainerCrashed(
    String tenantId,
    String transcoderId,
    String hostId,
    String containerId,
    int exitCode,
    boolean oomKilled,
    int restartCount,
    boolean willRestart) implements LifecycleData {

  public ContainerCrashed {
    Identifiers.require("tenantId", tenantId);
    Identifiers.require("transcoderId", transcoderId);
    Identifiers.require("hostId", hostId);
    Checks.text("containerId", containerId);
    Checks.atLeast("restartCount", restartCount, 0);
  }
}
