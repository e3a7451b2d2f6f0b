package io.berth.worker.supervision;

import io.berth.worker.coordination.Coordination;
import io.berth.worker.docker.ManagedContainer;
import io.berth.worker.provisioning.IntentListener;
import io.berth.worker.provisioning.TranscoderKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the worker itself decided about its transcoders, so a container's exit can be read right: asked for (stop,
 * restart, remove, suspend), already being restarted, or given up on as a crash loop. What must outlive this process
 * (a tenant's suspension, a crash-loop verdict) is read from and written to {@link Coordination}; what only this
 * process did (stops it asked for, restarts it scheduled, containers it saw running) stays in memory.
 */
public final class Intents implements IntentListener {
  private static final Duration EXPECTED_EXIT_MEMORY = Duration.ofMinutes(5);

  private final Clock clock;
  private final Map<String, Instant> expectedExits = new ConcurrentHashMap<>();
  private final Set<TranscoderKey> restartPending = ConcurrentHashMap.newKeySet();
  private final Set<TranscoderKey> seenRunning = ConcurrentHashMap.newKeySet();
  private final Set<TranscoderKey> removing = ConcurrentHashMap.newKeySet();
  private final CrashTracker tracker;
  private final Coordination coordination;

  public Intents(Clock clock, CrashTracker tracker, Coordination coordination) {
    this.clock = clock;
    this.tracker = tracker;
    this.coordination = coordination;
  }

  @Override
  public void stopping(TranscoderKey key, String containerId) {
    Instant now = clock.instant();
    expectedExits.values().removeIf(at -> at.isBefore(now.minus(EXPECTED_EXIT_MEMORY)));
    expectedExits.put(containerId, now);
  }

  @Override
  public void started(TranscoderKey key) {
    if (coordination.isCrashLooped(key)) {
      coordination.clearCrashLoop(key);
      tracker.forget(key); // started again by a command: a fresh start, not one more strike
    }
    seenRunning.add(key);
    tracker.onStarted(key);
  }


  @Override
  public void removing(TranscoderKey key) {
    removing.add(key);
  }

  @Override
  public void removed(TranscoderKey key) {
    removing.remove(key);
    restartPending.remove(key);
    seenRunning.remove(key);
    tracker.forget(key);
  }

  /** Consumes the mark: one expected exit per stop Berth asked for. */
  public boolean exitWasExpected(String containerId) {
    return expectedExits.remove(containerId) != null;
  }

  /** Stopped on purpose or given up on: neither a crash to restart nor a half-done provision. */
  public boolean leaveStopped(TranscoderKey key) {
    return restartPending.contains(key) || removing.contains(key) || coordination.isSuspended(key.tenantId())
        || coordination.isCrashLooped(key);
  }

  /**
   * {@link #leaveStopped(TranscoderKey)}, and also when a release or room close was recorded after the request that
   * made this container: its stop was Berth's own even if another worker, since dead, made it (what that worker
   * remembered died with it; the recorded cancellation did not).
   */
  public boolean leaveStopped(ManagedContainer container) {
    TranscoderKey key = TranscoderKey.of(container);
    if (leaveStopped(key)) {
      return true;
    }
    java.util.OptionalInt k = demandIndex(container);
    java.util.Optional<io.berth.worker.coordination.Demand> demand = k.isPresent()
        ? coordination.demand(key.tenantId(), container.roomId()) : java.util.Optional.empty();
    if (demand.isPresent()) {
      // A demand transcoder: the room's demand decides. One it no longer counts was being scaled down (a stop that
      // a killed worker did not finish); one it counts is wanted whatever a release said (a release replaces it),
      // unless the room was closed after it was placed.
      return k.getAsInt() >= demand.get().transcoders() || container.requestedAt()
          .flatMap(at -> coordination.roomCancelling(key.tenantId(), container.roomId(), at)).isPresent();
    }
    return container.requestedAt()
        .flatMap(at -> coordination.cancelling(key, container.roomId(), at)).isPresent();
  }

  private static java.util.OptionalInt demandIndex(ManagedContainer container) {
    try {
      return io.berth.events.DemandIds.index(container.roomId(), container.transcoderId());
    } catch (IllegalArgumentException noRoom) {
      return java.util.OptionalInt.empty(); // labels set by hand: no room, no demand
    }
  }

  /** This process saw it running (started it, or adopted it running): an exit it did not ask for is a crash. */
  public void seenRunning(TranscoderKey key) {
    seenRunning.add(key);
  }

  public boolean wasSeenRunning(TranscoderKey key) {
    return seenRunning.contains(key);
  }

  public void crashLooped(TranscoderKey key) {
    coordination.crashLooped(key);
  }

  public void restartScheduled(TranscoderKey key) {
    restartPending.add(key);
  }

  /** @return whether the restart is still wanted: false when the transcoder was removed while it waited */
  public boolean restartDue(TranscoderKey key) {
    return restartPending.remove(key);
  }
}
