package io.berth.worker.provisioning;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers releases and room closures so a request they overtook is not provisioned: a request whose CloudEvents
 * {@code time} is not after a cancellation's is cancelled. Kept in memory for a bounded time; every host records them
 * because release and room-close commands reach every host.
 */
public final class Tombstones {
  public record Cancellation(String commandId, String commandType, Instant at) {}

  private final Map<String, Cancellation> byScope = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration keep;

  public Tombstones(Clock clock, Duration keep) {
    this.clock = clock;
    this.keep = keep;
  }

  public void transcoderReleased(TranscoderKey key, Cancellation cancellation) {
    record(transcoderScope(key.tenantId(), key.transcoderId()), cancellation);
  }

  public void roomClosed(String tenantId, String roomId, Cancellation cancellation) {
    record(roomScope(tenantId, roomId), cancellation);
  }

  /** The cancellation that overrides a request made at {@code requestedAt}, if any. */
  public Optional<Cancellation> cancelling(TranscoderKey key, String roomId, Instant requestedAt) {
    expire();
    return Optional.ofNullable(byScope.get(transcoderScope(key.tenantId(), key.transcoderId())))
        .filter(c -> !requestedAt.isAfter(c.at()))
        .or(() -> Optional.ofNullable(byScope.get(roomScope(key.tenantId(), roomId)))
            .filter(c -> !requestedAt.isAfter(c.at())));
  }

  private void record(String scope, Cancellation cancellation) {
    byScope.merge(scope, cancellation, (old, fresh) -> fresh.at().isAfter(old.at()) ? fresh : old);
    expire();
  }

  private void expire() {
    Instant horizon = clock.instant().minus(keep);
    byScope.values().removeIf(c -> c.at().isBefore(horizon));
  }

  private static String transcoderScope(String tenantId, String transcoderId) {
    return "t:" + tenantId + "/" + transcoderId;
  }

  private static String roomScope(String tenantId, String roomId) {
    return "r:" + tenantId + "/" + roomId;
  }
}
