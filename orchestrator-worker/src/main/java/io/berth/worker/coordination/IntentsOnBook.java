package io.berth.worker.coordination;

import io.berth.worker.provisioning.TranscoderKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The intent half of {@link Coordination}, the same in both modes: the rules of {@link IntentBook} on a store. */
abstract class IntentsOnBook implements Coordination {
  private final IntentBook intents;

  IntentsOnBook(IntentBook intents) {
    this.intents = intents;
  }

  @Override
  public void tenantSuspended(String tenantId, Instant at) {
    intents.tenantSuspended(tenantId, at);
  }

  @Override
  public void tenantResumed(String tenantId, Instant at) {
    intents.tenantResumed(tenantId, at);
  }

  @Override
  public boolean isSuspended(String tenantId) {
    return intents.isSuspended(tenantId);
  }

  @Override
  public void transcoderReleased(TranscoderKey key, Cancellation cancellation) {
    intents.transcoderReleased(key, cancellation);
  }

  @Override
  public void roomClosed(String tenantId, String roomId, Cancellation cancellation) {
    intents.roomClosed(tenantId, roomId, cancellation);
  }

  @Override
  public Demand demandChanged(String tenantId, String roomId, Demand demand) {
    return intents.demandChanged(tenantId, roomId, demand);
  }

  @Override
  public Optional<Demand> demand(String tenantId, String roomId) {
    return intents.demand(tenantId, roomId);
  }

  @Override
  public List<RoomDemand> demands() {
    return intents.demands();
  }

  @Override
  public Optional<Cancellation> cancelling(TranscoderKey key, String roomId, Instant requestedAt) {
    return intents.cancelling(key, roomId, requestedAt);
  }

  @Override
  public Optional<RoomReport> reportDue(String tenantId, String roomId, String demandCommandId, RoomCounts now,
      java.time.Duration settle, java.time.Duration unconfirmedFor) {
    return intents.reportDue(tenantId, roomId, demandCommandId, now, settle, unconfirmedFor);
  }

  @Override
  public void reportConfirmed(String tenantId, String roomId, RoomReport report) {
    intents.reportConfirmed(tenantId, roomId, report);
  }

  @Override
  public Optional<Cancellation> roomCancelling(String tenantId, String roomId, Instant requestedAt) {
    return intents.roomCancelling(tenantId, roomId, requestedAt);
  }

  private static final io.berth.events.EventCodec CODEC = new io.berth.events.EventCodec();

  @Override
  public Optional<java.util.List<io.berth.events.LifecycleData>> outcome(String subject, String commandId) {
    return intents.outcome(subject, commandId).map(o -> decode(o.events()));
  }

  @Override
  public java.util.List<io.berth.events.LifecycleData> recordOutcome(String subject, String commandId,
      java.util.List<io.berth.events.LifecycleData> events) {
    // Kept as the events themselves (CloudEvents JSON, data only matters): the codec already knows every type.
    java.util.List<String> encoded = events.stream().map(e -> new String(CODEC.encode(io.berth.events.CloudEvent
        .lifecycle("urn:berth:outcome", commandId, Instant.EPOCH, e)), java.nio.charset.StandardCharsets.UTF_8))
        .toList();
    return decode(intents.recordOutcome(subject, commandId, encoded).events());
  }

  private static java.util.List<io.berth.events.LifecycleData> decode(java.util.List<String> encoded) {
    return encoded.stream().map(json -> {
      try {
        return (io.berth.events.LifecycleData) CODEC.decode(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .data();
      } catch (io.berth.events.RejectedEventException e) {
        throw new IllegalStateException("unreadable outcome in the coordination store: " + e.getMessage(), e);
      }
    }).toList();
  }

  @Override
  public void crashLooped(TranscoderKey key) {
    intents.crashLooped(key);
  }

  @Override
  public void clearCrashLoop(TranscoderKey key) {
    intents.clearCrashLoop(key);
  }

  @Override
  public boolean isCrashLooped(TranscoderKey key) {
    return intents.isCrashLooped(key);
  }
}
