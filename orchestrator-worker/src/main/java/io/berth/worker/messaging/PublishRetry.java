package io.berth.worker.messaging;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a confirmed publish in process, with exponential backoff, while the delivery that caused it stays unacked.
 * A requeue would cost the command one of its {@code x-delivery-limit} deliveries per failure, so a broker hiccup of a
 * few seconds could dead-letter a good command; holding it costs only time. Bounded by {@link #budget()} (well under
 * RabbitMQ's {@code consumer_timeout}, 30 min by default) and by shutdown (interruption).
 */
public final class PublishRetry {
  private static final Logger log = LoggerFactory.getLogger(PublishRetry.class);

  /** Injectable pause, so the backoff can be tested without waiting. */
  @FunctionalInterface
  public interface Pause {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final Duration initial;
  private final Duration max;
  private final Duration budget;
  private final Pause pause;
  private final LongSupplier nanoClock;

  public PublishRetry(Duration initial, Duration max, Duration budget, Pause pause, LongSupplier nanoClock) {
    this.initial = initial;
    this.max = max;
    this.budget = budget;
    this.pause = pause;
    this.nanoClock = nanoClock;
  }

  /** 200 ms doubling to 5 s, for at most 10 minutes. */
  public static PublishRetry standard() {
    return new PublishRetry(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofMinutes(10),
        d -> Thread.sleep(d.toMillis()), System::nanoTime);
  }

  public Duration budget() {
    return budget;
  }

  /**
   * Runs {@code publish} until it returns. {@link UnroutableException} is not retried (no waiting binds a queue).
   *
   * @throws PublishFailedException the last failure once the budget is spent; or, with an {@link InterruptedException}
   *     as cause (interrupt flag kept), when the worker is shutting down
   */
  public void run(String what, Runnable publish) {
    long start = nanoClock.getAsLong();
    int failures = 0;
    while (true) {
      try {
        publish.run();
        if (failures > 0) {
          log.info("publish succeeded after retries: what={} failures={}", what, failures);
        }
        return;
      } catch (UnroutableException e) {
        throw e;
      } catch (PublishFailedException e) {
        failures++;
        long left = budget.toNanos() - (nanoClock.getAsLong() - start);
        if (left <= 0) {
          log.error("publish still failing, giving up: what={} failures={} error={}", what, failures, e.getMessage());
          throw new PublishFailedException(what + ": still failing after " + failures + " attempts in "
              + budget.toSeconds() + " s: " + e.getMessage(), e);
        }
        long backoff = Math.min(max.toNanos(), initial.toNanos() << Math.min(failures - 1, 20));
        Duration wait = Duration.ofNanos(Math.min(backoff, left));
        log.warn("publish failed, holding the command and retrying: what={} failure={} retryInMs={} error={}", what,
            failures, wait.toMillis(), e.getMessage());
        try {
          pause.sleep(wait);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new PublishFailedException(what + ": shutting down while retrying a publish", interrupted);
        }
      }
    }
  }
}
