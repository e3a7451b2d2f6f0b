package io.berth.events;

/**
 * Lifecycle: the container was restarted, on request or after a crash.
 *
 * @param restartCount restarts of this transcoder so far, this one included
 */
public record TranscoderRestarted(
    String tenantId,
    String transcoderId,
    String hostId,
    RestartCause cause,
    int restartCount) implements LifecycleData {

  public TranscoderRestarted {
    Identifiers.require("tenantId", tenantId);
    Identifiers.require("transcoderId", transcoderId);
    Identifiers.require("hostId", hostId);
    Checks.required("cause", cause);
    Checks.atLeast("restartCount", restartCount, 0);
  }
}
