package io.berth.events;

/**
 * Lifecycle: a {@code TranscoderRequested} could not be fulfilled.
 *
 * @param code      short machine-readable reason, e.g. {@code image-pull-failed}, {@code no-free-ip}
 * @param message   human-readable detail, clipped to {@link #MAX_MESSAGE_LENGTH}
 * @param retriable true when sending the same request again may succeed
 */
public record ProvisioningFailed(
    String tenantId,
    String transcoderId,
    String hostId,
    String code,
    String message,
    boolean retriable) implements LifecycleData {

  public static final int MAX_MESSAGE_LENGTH = 2048;

  public ProvisioningFailed {
    Identifiers.require("tenantId", tenantId);
    Identifiers.require("transcoderId", transcoderId);
    Identifiers.require("hostId", hostId);
    Checks.text("code", code);
    message = Checks.clip("message", message, MAX_MESSAGE_LENGTH);
  }
}
