package io.berth.worker.coordination;

import io.berth.worker.provisioning.TranscoderKey;
import java.time.Instant;
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
  public Optional<Cancellation> cancelling(TranscoderKey key, String roomId, Instant requestedAt) {
    return intents.cancelling(key, roomId, requestedAt);
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
