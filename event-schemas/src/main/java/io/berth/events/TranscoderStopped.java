package io.berth.events;

/**
 * Lifecycle: the transcoder is no longer running.
 *
 * @param removed true when the container was removed as well (false: stopped, removal failed or deferred)
 */
public record TranscoderStopped(
    String tenantId,
    String transcoderId,
    String hostId,
    StopReason reason,
    boolean removed) implements LifecycleData {

  public TranscoderStopped {
    Identifiers.require("tenantId", tenantId);
    Identifiers.require("transcoderId", transcoderId);
    Identifiers.require("hostId", hostId);
    Checks.required("reason", reason);
  }
}
