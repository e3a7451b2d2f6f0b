package io.berth.worker.supervision;

import io.berth.worker.config.SupervisionConfig;
import io.berth.worker.provisioning.TranscoderKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * The restart policy, as pure bookkeeping per transcoder: exponential backoff with jitter and a cap, a reset once a
 * transcoder stayed up for the stable period, and at most {@code maxRestarts} restarts in a sliding window. Clock and
 * randomness are injected, so the policy is tested without waiting.
 */
public final class CrashTracker {

  /** What to do about one crash. */
  public sealed interface Decision {
    /** @param restartCount restarts of this transcoder including this one */
    record Restart(Duration delay, int restartCount) implements Decision {}

    /** @param crashes crashes within the window, including this one */
    record GiveUp(int crashes) implements Decision {}
  }

  /**
   * What this process remembers of one transcoder's crashes, for people (the fleet page): counted since this worker
   * started or since a command last started the transcoder afresh, whichever is later — never across worker restarts.
   *
   * @param restarts restarts in place after a crash
   * @param lastCrashAt when it last crashed, null if it has not since
   */
  public record Memory(int restarts, Instant lastCrashAt) {}

  private static final class History {
    final Deque<Instant> restartsInWindow = new ArrayDeque<>();
    int consecutive;
    int restartCount;
    Instant lastStart;
    Instant lastCrash;
  }

  private final SupervisionConfig config;
  private final Clock clock;
  private final DoubleSupplier random;
  private final Map<TranscoderKey, History> histories = new HashMap<>();

  /** @param random values in [0, 1): the jitter takes each delay down by up to half */
  public CrashTracker(SupervisionConfig config, Clock clock, DoubleSupplier random) {
    this.config = config;
    this.clock = clock;
    this.random = random;
  }

  public synchronized Decision onCrash(TranscoderKey key) {
    Instant now = clock.instant();
    History h = histories.computeIfAbsent(key, k -> new History());
    h.lastCrash = now; // a crash given up on is still the last crash
    if (h.lastStart != null && !now.isBefore(h.lastStart.plus(config.stableAfter()))) {
      h.consecutive = 0; // it ran long enough to count as healthy: start the backoff over
    }
    while (!h.restartsInWindow.isEmpty() && h.restartsInWindow.peekFirst().isBefore(now.minus(config.window()))) {
      h.restartsInWindow.removeFirst();
    }
    if (h.restartsInWindow.size() >= config.maxRestarts()) {
      return new Decision.GiveUp(h.restartsInWindow.size() + 1);
    }
    h.restartsInWindow.addLast(now);
    h.consecutive++;
    h.restartCount++;
    return new Decision.Restart(backoff(h.consecutive), h.restartCount);
  }

  private Duration backoff(int consecutive) {
    long initial = config.initialBackoff().toMillis();
    long capped = Math.min(config.maxBackoff().toMillis(),
        initial * (1L << Math.min(consecutive - 1, 30)));
    long jittered = capped - (long) (capped * 0.5 * random.getAsDouble());
    return Duration.ofMillis(Math.max(0, jittered));
  }

  /** The transcoder (re)started: the stable period counts from now. */
  public synchronized void onStarted(TranscoderKey key) {
    histories.computeIfAbsent(key, k -> new History()).lastStart = clock.instant();
  }

  /** Restarts so far: what ContainerCrashed reports before the next one. */
  public synchronized int restartCount(TranscoderKey key) {
    History h = histories.get(key);
    return h == null ? 0 : h.restartCount;
  }

  /** Empty when this process has seen it neither start nor crash. */
  public synchronized Optional<Memory> memory(TranscoderKey key) {
    History h = histories.get(key);
    return h == null ? Optional.empty() : Optional.of(new Memory(h.restartCount, h.lastCrash));
  }

  /** The transcoder is gone (released, room closed): its history goes with it. */
  public synchronized void forget(TranscoderKey key) {
    histories.remove(key);
  }
}
