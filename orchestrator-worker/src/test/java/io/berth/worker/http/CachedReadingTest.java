package io.berth.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CachedReadingTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicReference<RuntimeException> failing = new AtomicReference<>();

  private String read() {
    int n = reads.incrementAndGet();
    if (failing.get() != null) {
      throw failing.get();
    }
    return "v" + n;
  }

  @Test
  void readsAtMostOncePerPeriodAndOnlyWhenAsked() {
    CachedReading<String> cached = new CachedReading<>(this::read, Duration.ofSeconds(2), clock);
    assertThat(reads).hasValue(0);
    assertThat(cached.get().value()).contains("v1");
    clock.advance(Duration.ofMillis(1999));
    assertThat(cached.get().value()).contains("v1");
    assertThat(reads).hasValue(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(cached.get().value()).contains("v2");
  }

  @Test
  void aFailureKeepsTheLastValueWithWhyAndIsNotRetriedWithinThePeriod() {
    CachedReading<String> cached = new CachedReading<>(this::read, Duration.ofSeconds(2), clock);
    Instant firstAt = clock.instant();
    cached.get();
    clock.advance(Duration.ofSeconds(3));
    failing.set(new IllegalStateException("docker unreachable"));
    CachedReading.Reading<String> failed = cached.get();
    assertThat(failed.value()).contains("v1");
    assertThat(failed.valueAt()).isEqualTo(firstAt);
    assertThat(failed.failure()).contains("docker unreachable");
    cached.get();
    assertThat(reads).hasValue(2);

    failing.set(null);
    clock.advance(Duration.ofSeconds(2));
    CachedReading.Reading<String> back = cached.get();
    assertThat(back.value()).contains("v3");
    assertThat(back.failure()).isEmpty();
  }

  @Test
  void aFirstFailureHasNoValue() {
    failing.set(new IllegalStateException("no"));
    CachedReading.Reading<String> reading = new CachedReading<>(this::read, Duration.ofSeconds(2), clock).get();
    assertThat(reading.value()).isEmpty();
    assertThat(reading.failure()).contains("no");
  }

  @Test
  void whileOneReadsOthersGetTheLastReadingAtOnce() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger n = new AtomicInteger();
    CachedReading<String> cached = new CachedReading<>(() -> {
      if (n.incrementAndGet() == 2) {
        inside.countDown();
        await(release);
      }
      return "v" + n.get();
    }, Duration.ofSeconds(2), clock);
    cached.get();
    clock.advance(Duration.ofSeconds(5));
    CompletableFuture<CachedReading.Reading<String>> slow = CompletableFuture.supplyAsync(cached::get);
    assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

    assertThat(cached.get().value()).isEqualTo(Optional.of("v1")); // not blocked behind the slow read

    release.countDown();
    assertThat(slow.get(5, TimeUnit.SECONDS).value()).contains("v2");
    assertThat(n).hasValue(2);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A clock tests move by hand. */
  static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant start) {
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
