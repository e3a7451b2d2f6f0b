package io.berth.events;

/**
 * Command: run a transcoder for a room. Delivered to exactly one worker with free capacity.
 *
 * @param image     container image to run; null means the worker's configured default
 * @param resources CPU/memory limits; null means the worker's configured defaults
 */
public record TranscoderRequested(
    String tenantId,
    String transcoderId,
    String roomId,
    @Nullable String image,
    @Nullable Resources resources) implements CommandData {

  public TranscoderRequested {
    Identifiers.require("tenantId", tenantId);
    Identifiers.require("transcoderId", transcoderId);
    Identifiers.require("roomId", roomId);
    Checks.optionalText("image", image);
  }
}
