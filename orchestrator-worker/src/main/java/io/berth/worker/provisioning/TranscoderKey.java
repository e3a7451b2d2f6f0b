package io.berth.worker.provisioning;

import io.berth.events.Identifiers;
import io.berth.worker.docker.ManagedContainer;

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

  /** The transcoder a Berth container's labels say it is. */
  public static TranscoderKey of(ManagedContainer container) {
    return new TranscoderKey(container.tenantId(), container.transcoderId());
  }

  /** Whether the container's labels name this transcoder (its name alone may not: see {@link #containerName()}). */
  public boolean matches(ManagedContainer container) {
    return tenantId.equals(container.tenantId()) && transcoderId.equals(container.transcoderId());
  }

  @Override
  public String toString() {
    return tenantId + "/" + transcoderId;
  }
}
