package io.berth.events;

/** Command: restart a transcoder's container. Every worker sees it; the one running it acts. */
public record TranscoderRestartRequested(String tenantId, String transcoderId) implements CommandData {

  public TranscoderRestartRequested {
    Identifiers.require("tenantId", tenantId);
    Identifiers.require("transcoderId", transcoderId);
  }
}
