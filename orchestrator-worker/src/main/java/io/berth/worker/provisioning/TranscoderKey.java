package io.berth.worker.provisioning;

import io.berth.events.Identifiers;

/** Identifies one transcoder across hosts and restarts; its container name is derived from it, deterministically. */
public record TranscoderKey(String tenantId, String transcoderId) {

  public TranscoderKey {
    Identifiers.require("tenantId", tenantId);
    Identifiers.require("transcoderId", transcoderId);
  }

  /**
   * {@code berth-<tenantId>-<transcoderId>}. Because ids may contain '-', two keys can share a name ("a-b"+"c" and
   * "a"+"b-c"); the labels decide, and a clash is refused as a name conflict rather than adopted.
   */
  public String containerName() {
    return "berth-" + tenantId + "-" + transcoderId;
  }

  @Override
  public String toString() {
    return tenantId + "/" + transcoderId;
  }
}
