package io.berth.worker.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.worker.config.SupervisionConfig;
import io.berth.worker.provisioning.TranscoderKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CrashTrackerTest {
  private final TranscoderKey key = new TranscoderKey("acme", "tx-1");
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
  private final SupervisionConfig config = new SupervisionConfig(Duration.ofSeconds(1), Duration.ofSeconds(10),
      Duration.ofMinutes(5), 3, Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(15));

  @Test
  void backoffDoublesUpToTheCapWithoutJitter() {
    CrashTracker tracker = new CrashTracker(
        new SupervisionConfig(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(5), 10,
            Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(15)), clock, () -> 0.0);
    assertThat(delays(tracker, 5)).containsExactly(1000L, 2000L, 4000L, 5000L, 5000L);
  }

  @Test
  void jitterTakesUpToHalfOff() {
    CrashTracker tracker = new CrashTracker(config, clock, () -> 0.999);
    assertThat(((CrashTracker.Decision.Restart) tracker.onCrash(key)).delay().toMillis()).isEqualTo(501L);
  }

  @Test
  void tooManyRestartsInTheWindowIsACrashLoop() {
    CrashTracker tracker = new CrashTracker(config, clock, () -> 0.0);
    for (int i = 1; i <= 3; i++) {
      assertThat(tracker.onCrash(key)).isEqualTo(new CrashTracker.Decision.Restart(Duration.ofSeconds(1L << (i - 1)), i));
    }
    assertThat(tracker.onCrash(key)).isEqualTo(new CrashTracker.Decision.GiveUp(4));
    assertThat(tracker.restartCount(key)).isEqualTo(3);
  }

  @Test
  void restartsOutsideTheWindowNoLongerCount() {
    CrashTracker tracker = new CrashTracker(config, clock, () -> 0.0);
    for (int i = 0; i < 3; i++) {
      tracker.onCrash(key);
    }
    clock.advance(Duration.ofMinutes(11));
    assertThat(tracker.onCrash(key)).isInstanceOf(CrashTracker.Decision.Restart.class);
  }

  @Test
  void aStablePeriodResetsTheBackoff() {
    CrashTracker tracker = new CrashTracker(config, clock, () -> 0.0);
    tracker.onCrash(key);
    tracker.onCrash(key);
    tracker.onStarted(key);
    clock.advance(Duration.ofMinutes(6));
    assertThat(((CrashTracker.Decision.Restart) tracker.onCrash(key)).delay()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void transcodersAreTrackedApartAndForgotten() {
    CrashTracker tracker = new CrashTracker(config, clock, () -> 0.0);
    TranscoderKey other = new TranscoderKey("acme", "tx-2");
    tracker.onCrash(key);
    tracker.onCrash(key);
    assertThat(tracker.onCrash(other)).isEqualTo(new CrashTracker.Decision.Restart(Duration.ofSeconds(1), 1));
    tracker.forget(key);
    assertThat(tracker.restartCount(key)).isZero();
  }

  @Test
  void remembersRestartsAndTheLastCrashGiveUpIncludedUntilForgotten() {
    CrashTracker tracker = new CrashTracker(config, clock, () -> 0.0);
    assertThat(tracker.memory(key)).isEmpty();
    tracker.onStarted(key);
    assertThat(tracker.memory(key)).contains(new CrashTracker.Memory(0, null));
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(5));
      tracker.onCrash(key);
    }
    clock.advance(Duration.ofSeconds(5));
    Instant givenUpAt = clock.instant();
    assertThat(tracker.onCrash(key)).isInstanceOf(CrashTracker.Decision.GiveUp.class);
    assertThat(tracker.memory(key)).contains(new CrashTracker.Memory(3, givenUpAt));
    tracker.forget(key);
    assertThat(tracker.memory(key)).isEmpty();
  }

  private static java.util.List<Long> delays(CrashTracker tracker, int n) {
    TranscoderKey k = new TranscoderKey("acme", "tx-9");
    java.util.List<Long> delays = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      delays.add(((CrashTracker.Decision.Restart) tracker.onCrash(k)).delay().toMillis());
    }
    return delays;
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
