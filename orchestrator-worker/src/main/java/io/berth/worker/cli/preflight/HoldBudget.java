package io.berth.worker.cli.preflight;

import io.berth.worker.config.WorkerConfig;
import io.berth.worker.failure.TransientRetrier;
import io.berth.worker.messaging.PublishRetry;
import io.berth.worker.cli.Durations;
import java.time.Duration;

/**
 * The longest a worker holds one delivery unacked: the bounded in-process waits that can follow each other within one
 * command (docs/worker.md, "Retries never spend deliveries"). RabbitMQ's {@code consumer_timeout} must be longer, or
 * the broker closes the channel under a command that is still being worked on, and the redelivery spends one of its
 * deliveries. (A Docker outage holds a command for as long as it lasts: no bound, by design; the broker then takes
 * the channel back and redelivers.)
 *
 * @param coordinationWait fleet only: etcd away or another host mid-provision ({@link TransientRetrier#COORDINATION_WAIT})
 * @param provisioning readiness timeout, the stop grace of a clean-up, and the rounds of a Docker call that keeps
 *     failing while Docker answers pings
 * @param publishRetry the lifecycle event (or dead-letter copy) retried until confirmed ({@link PublishRetry})
 */
public record HoldBudget(Duration coordinationWait, Duration provisioning, Duration publishRetry) {
  /**
   * Rounds a command retries a Docker call that keeps failing while Docker answers pings: the worker's
   * MAX_ROUNDS_WHILE_DOCKER_UP (private to Worker; kept equal by hand).
   */
  static final int DOCKER_ROUNDS = 5;

  public static HoldBudget of(WorkerConfig config) {
    // each round: the call's own retries (attempts, each backing off at most max), then a pause of at most max
    Duration dockerRounds = config.dockerRetry().max()
        .multipliedBy((long) (config.dockerRetry().attempts() + 1) * DOCKER_ROUNDS);
    return new HoldBudget(
        config.coordination().fleet() ? TransientRetrier.COORDINATION_WAIT : Duration.ZERO,
        config.readiness().timeout().plus(config.stopTimeout()).plus(dockerRounds),
        PublishRetry.standard().budget());
  }

  public Duration total() {
    return coordinationWait.plus(provisioning).plus(publishRetry);
  }

  /** e.g. {@code 24m40s (coordination wait 10m + provisioning 4m40s + publish retry 10m)}. */
  public String explain() {
    return Durations.human(total()) + " (" + (coordinationWait.isZero() ? ""
        : "coordination wait " + Durations.human(coordinationWait) + " + ") + "provisioning "
        + Durations.human(provisioning) + " + publish retry " + Durations.human(publishRetry) + ")";
  }
}
