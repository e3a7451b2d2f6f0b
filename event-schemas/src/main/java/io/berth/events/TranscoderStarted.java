package io.berth.events;

/** Lifecycle: the container is running and reachable at {@code ipAddress} on {@code network}. */
public record TranscoderStarted(
    String tenantId,
    String transcoderId,
    String roomId,
    String hostId,
    String containerId,
    String containerName,
    String network,
    String ipAddress) implements LifecycleData {

  public TranscoderStarted {
    Identifiers.require("tenantId", tenantId);
    Identifiers.require("transcoderId", transcoderId);
    Identifiers.require("roomId", roomId);
    Identifiers.require("hostId", hostId);
    Checks.text("containerId", containerId);
    Checks.text("containerName", containerName);
    Checks.text("network", network);
    Checks.text("ipAddress", ipAddress);
  }
}
