package io.berth.worker.provisioning;

import io.berth.worker.docker.DockerGateway;
import io.berth.worker.docker.ManagedContainer;
import io.berth.worker.failure.FailureCodes;
import io.berth.worker.failure.ProvisioningException;
import io.berth.worker.failure.ShuttingDownException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Polls a {@link ReadinessProbe} until the container answers, exits, or the timeout passes. */
public final class ReadinessWaiter {
  private static final Duration POLL = Duration.ofMillis(250);

  private final ReadinessProbe probe;
  private final DockerGateway docker;
  private final Duration timeout;
  private final Clock clock;
  private final Sleeper sleeper;
  private final BooleanSupplier stopping;

  /** @param stopping a shutdown ends the wait at once: a WCS may take minutes, the grace period may not */
  public ReadinessWaiter(ReadinessProbe probe, DockerGateway docker, Duration timeout, Clock clock, Sleeper sleeper,
      BooleanSupplier stopping) {
    this.stopping = stopping;
    this.probe = probe;
    this.docker = docker;
    this.timeout = timeout;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  public void awaitReady(String containerId, String name, String ipAddress) {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      if (stopping.getAsBoolean()) {
        throw new ShuttingDownException();
      }
      ManagedContainer current = docker.find(containerId).orElseThrow(() -> new ProvisioningException(
          FailureCodes.READINESS_TIMEOUT, name + " disappeared while starting", true));
      if (!current.isRunning()) {
        throw new ProvisioningException(FailureCodes.READINESS_TIMEOUT,
            name + " stopped while starting (state " + current.state() + ")", true);
      }
      if (probe.isReady(containerId, ipAddress)) {
        return;
      }
      if (!clock.instant().isBefore(deadline)) {
        throw new ProvisioningException(FailureCodes.READINESS_TIMEOUT,
            name + " did not become ready within " + timeout.toSeconds() + "s", true);
      }
      try {
        sleeper.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ShuttingDownException();
      }
    }
  }
}
