package io.berth.events;

/** Command: stop and remove a transcoder. Every worker sees it; the one running it acts. */
public record TranscoderReleased(String tenantId, String transcoderId) implements CommandData {

  public TranscoderReleased {
    Identifiers.require("tenantId", tenantId);
    Identifiers.require("transcoderId", transcoderId);
  }
}
