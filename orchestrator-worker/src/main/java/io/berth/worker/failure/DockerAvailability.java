package io.berth.worker.failure;

import io.berth.worker.docker.DockerGateway;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows whether Docker is up. When the circuit breaker opens it says "down" (the worker then stops taking commands),
 * probes with a plain ping until Docker answers, closes the breaker and says "up" again. Commands held meanwhile wait
 * here instead of failing.
 */
public final class DockerAvailability {
  private static final Logger log = LoggerFactory.getLogger(DockerAvailability.class);

  private final CircuitBreaker breaker;
  private final DockerGateway unguarded;
  private final Duration probeInterval;
  private final ScheduledExecutorService scheduler;
  private final Runnable onDown;
  private final Runnable onUp;
  private boolean down;
  private boolean stopping;

  /** @param unguarded a gateway without retry or breaker, so probes measure Docker and not our own guard */
  public DockerAvailability(CircuitBreaker breaker, DockerGateway unguarded, Duration probeInterval,
      ScheduledExecutorService scheduler, Runnable onDown, Runnable onUp) {
    this.breaker = breaker;
    this.unguarded = unguarded;
    this.probeInterval = probeInterval;
    this.scheduler = scheduler;
    this.onDown = onDown;
    this.onUp = onUp;
    breaker.getEventPublisher().onStateTransition(event -> {
      if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
        markDown("circuit breaker opened");
      }
    });
  }

  public void markDown(String why) {
    synchronized (this) {
      if (down || stopping) {
        return;
      }
      down = true;
    }
    log.warn("docker unavailable, pausing intake: reason={}", why);
    onDown.run();
    scheduler.schedule(this::probe, probeInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void probe() {
    try {
      unguarded.ping();
    } catch (RuntimeException e) {
      synchronized (this) {
        if (stopping) {
          return;
        }
      }
      scheduler.schedule(this::probe, probeInterval.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    breaker.transitionToClosedState();
    synchronized (this) {
      down = false;
      notifyAll();
      if (stopping) {
        return;
      }
    }
    log.info("docker available again, resuming intake");
    onUp.run();
  }

  public synchronized boolean isDown() {
    return down;
  }

  /** Blocks while Docker is down, at most {@code max}; returns at once when stopping. */
  public synchronized void awaitUp(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (down && !stopping) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  public synchronized void stop() {
    stopping = true;
    notifyAll();
  }
}
