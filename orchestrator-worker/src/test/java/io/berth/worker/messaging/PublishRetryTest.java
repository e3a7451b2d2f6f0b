package io.berth.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.events.Contract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PublishRetryTest {
  private final AtomicLong now = new AtomicLong();
  private final List<Duration> pauses = new ArrayList<>();
  private final PublishRetry retry = new PublishRetry(Duration.ofMillis(200), Duration.ofSeconds(5),
      Duration.ofMinutes(10), d -> {
        pauses.add(d);
        now.addAndGet(d.toNanos());
      }, now::get);

  @Test
  void failuresBeyondTheDeliveryLimitAreRetriedInProcessWithBackoff() {
    int failures = Contract.DELIVERY_LIMIT * 3;
    AtomicInteger attempts = new AtomicInteger();
    retry.run("TranscoderStarted", () -> {
      if (attempts.incrementAndGet() <= failures) {
        throw new PublishFailedException("channel closed");
      }
    });
    assertThat(attempts).hasValue(failures + 1);
    assertThat(pauses).hasSize(failures).startsWith(Duration.ofMillis(200), Duration.ofMillis(400),
        Duration.ofMillis(800)).endsWith(Duration.ofSeconds(5));
  }

  @Test
  void givesUpOnceTheBudgetIsSpent() {
    assertThatThrownBy(() -> retry.run("TranscoderStarted", () -> {
      throw new NackedException("broker nacked the message");
    })).isInstanceOf(PublishFailedException.class).hasMessageContaining("still failing");
    assertThat(pauses.stream().mapToLong(Duration::toNanos).sum()).isEqualTo(Duration.ofMinutes(10).toNanos());
  }

  @Test
  void unroutableIsNotRetried() {
    assertThatThrownBy(() -> retry.run("x", () -> {
      throw new UnroutableException("unroutable");
    })).isInstanceOf(UnroutableException.class);
    assertThat(pauses).isEmpty();
  }

  @Test
  void interruptionMeansShuttingDown() {
    PublishRetry interrupted = new PublishRetry(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMinutes(1),
        d -> {
          throw new InterruptedException();
        }, System::nanoTime);
    assertThatThrownBy(() -> interrupted.run("x", () -> {
      throw new PublishFailedException("down");
    })).isInstanceOf(PublishFailedException.class).hasCauseInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isTrue();
  }
}
