package io.berth.worker.failure;

import io.berth.worker.config.DockerRetryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a command's work until it succeeds or fails permanently. Transient failures never reach the broker: while
 * Docker is down the work waits for it; while Docker answers but keeps failing, it gives up after a bounded number of
 * rounds as a permanent, retriable failure (no hot loop, no endless hold).
 */
public final class TransientRetrier {
  private static final Logger log = LoggerFactory.getLogger(TransientRetrier.class);

  private final FailureClassifier classifier;
  private final DockerAvailability availability;
  private final DockerRetryConfig backoff;
  private final int maxRoundsWhileUp;
  private final BooleanSupplier stopping;
  private final MeterRegistry registry;

  /** @param registry counts each round retried, by failure code ({@code berth_retries_total}) */
  public TransientRetrier(FailureClassifier classifier, DockerAvailability availability, DockerRetryConfig backoff,
      int maxRoundsWhileUp, BooleanSupplier stopping, MeterRegistry registry) {
    this.registry = registry;
    this.classifier = classifier;
    this.availability = availability;
    this.backoff = backoff;
    this.maxRoundsWhileUp = maxRoundsWhileUp;
    this.stopping = stopping;
  }

  /**
   * The fleet's coordination store away (etcd down, this host cut off, another host mid-provision): the work waits
   * for it like for Docker, up to this long — well inside RabbitMQ's 30-minute consumer_timeout.
   */
  public static final java.time.Duration COORDINATION_WAIT = java.time.Duration.ofMinutes(10);

  public <T> T run(Supplier<T> work) {
    int roundsWhileUp = 0;
    int coordinationRounds = 0;
    long waitingSince = 0;
    while (true) {
      if (stopping.getAsBoolean()) {
        throw new ShuttingDownException();
      }
      try {
        return work.get();
      } catch (RuntimeException e) {
        Failure failure = classifier.classify(e);
        if (!failure.isTransient()) {
          throw e;
        }
        if (FailureCodes.COORDINATION_UNAVAILABLE.equals(failure.code())) {
          long now = System.nanoTime();
          waitingSince = coordinationRounds++ == 0 ? now : waitingSince;
          if (now - waitingSince > COORDINATION_WAIT.toNanos()) {
            throw new ProvisioningException(failure.code(), failure.message() + " (waited "
                + COORDINATION_WAIT.toMinutes() + " minutes)", true);
          }
          log.warn("coordination unavailable, will retry: message={}", failure.message());
          retried(failure.code());
          pause(Math.min(coordinationRounds, 4));
          continue;
        }
        if (!availability.isDown() && ++roundsWhileUp >= maxRoundsWhileUp) {
          throw new ProvisioningException(failure.code(), failure.message() + " (still failing after "
              + roundsWhileUp + " rounds while Docker answered)", true);
        }
        log.warn("transient failure, will retry: code={} message={}", failure.code(), failure.message());
        retried(failure.code());
        pause(roundsWhileUp);
      }
    }
  }

  /** Transient codes are a handful of constants (docker-unavailable, broker-unavailable, ...): a bounded tag. */
  private void retried(String code) {
    Counter.builder("berth.retries")
        .description("Rounds of a command's work retried in process after a transient failure, by failure code")
        .tag("code", code)
        .register(registry)
        .increment();
  }

  private void pause(int round) {
    try {
      if (availability.isDown()) {
        availability.awaitUp(Duration.ofMinutes(1));
      } else {
        long millis = Math.min(backoff.max().toMillis(), backoff.initial().toMillis() << Math.min(round, 20));
        Thread.sleep(millis); // Docker answers pings but this call failed: back off before the next round
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShuttingDownException();
    }
  }
}
