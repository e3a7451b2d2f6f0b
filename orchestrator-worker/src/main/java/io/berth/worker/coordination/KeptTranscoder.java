package io.berth.worker.coordination;

import java.util.Objects;

/**
 * What a fleet keeps of a placed transcoder so that any host can bring it back: the request's desired state, the
 * address it owns, and the request that created it. Never a secret: the password and licence come from each host's
 * own configuration. {@code hostId}, {@code containerId} and {@code containerName} say where it last started, so
 * a redelivered request can report the outcome again from any host.
 */
public record KeptTranscoder(String tenantId, String transcoderId, String roomId, String image, double cpus,
    int memoryMb, String address, String requestId, java.time.Instant requestedAt, String hostId, String containerId, String containerName) {
  public KeptTranscoder {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(transcoderId, "transcoderId");
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(requestedAt, "requestedAt");
    Objects.requireNonNull(hostId, "hostId");
  }
}
