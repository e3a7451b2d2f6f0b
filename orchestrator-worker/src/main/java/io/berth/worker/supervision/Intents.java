package io.berth.worker.supervision;

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
 * restart, remove, suspend), already being restarted, or given up on as a crash loop. In memory; after a worker
 * restart the reconcile pass falls back on exit codes (see docs/worker.md).
 */
public final class Intents implements IntentListener {
  private static final Duration EXPECTED_EXIT_MEMORY = Duration.ofMinutes(5);

  private final Clock clock;
  private final Map<String, Instant> expectedExits = new ConcurrentHashMap<>();
  private final Set<TranscoderKey> suspended = ConcurrentHashMap.newKeySet();
  private final Set<TranscoderKey> crashLooped = ConcurrentHashMap.newKeySet();
  private final Set<TranscoderKey> restartPending = ConcurrentHashMap.newKeySet();
  private final Set<TranscoderKey> seenRunning = ConcurrentHashMap.newKeySet();
  private final CrashTracker tracker;

  public Intents(Clock clock, CrashTracker tracker) {
    this.clock = clock;
    this.tracker = tracker;
  }

  @Override
  public void stopping(TranscoderKey key, String containerId) {
    Instant now = clock.instant();
    expectedExits.values().removeIf(at -> at.isBefore(now.minus(EXPECTED_EXIT_MEMORY)));
    expectedExits.put(containerId, now);
  }

  @Override
  public void started(TranscoderKey key) {
    suspended.remove(key);
    if (crashLooped.remove(key)) {
      tracker.forget(key); // started again by a command: a fresh start, not one more strike
    }
    seenRunning.add(key);
    tracker.onStarted(key);
  }

  @Override
  public void suspended(TranscoderKey key) {
    suspended.add(key);
  }

  @Override
  public void removed(TranscoderKey key) {
    suspended.remove(key);
    crashLooped.remove(key);
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
    return suspended.contains(key) || crashLooped.contains(key) || restartPending.contains(key);
  }

  /** This process saw it running (started it, or adopted it running): an exit it did not ask for is a crash. */
  public void seenRunning(TranscoderKey key) {
    seenRunning.add(key);
  }

  public boolean wasSeenRunning(TranscoderKey key) {
    return seenRunning.contains(key);
  }

  public void crashLooped(TranscoderKey key) {
    crashLooped.add(key);
  }

  public void restartScheduled(TranscoderKey key) {
    restartPending.add(key);
  }

  public void restartDue(TranscoderKey key) {
    restartPending.remove(key);
  }
}
