package io.berth.worker.metrics;

import io.berth.events.EventType;
import io.berth.events.LifecycleData;
import io.berth.events.TranscoderRestarted;
import io.berth.events.TranscoderStarted;
import io.berth.worker.messaging.Disposition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;

/**
 * What became of commands: each delivery by command type and outcome, dead-letters by reason code, and provisioning
 * latency — from a request's CloudEvents {@code time} to its {@code TranscoderStarted} confirmed by the broker.
 *
 * <p>Cardinality is bounded by construction: {@code type} is a command type name or {@code other} (a routing key is
 * the publisher's bytes), {@code outcome} one of six words, {@code code} a failure or rejection code. Tenant and
 * transcoder ids are never tags.
 */
public final class CommandMetrics {
  /** The type tag of a delivery whose routing key names no command type (unroutable, misrouted, garbage). */
  public static final String OTHER_TYPE = "other";
  /** The handler failed to produce a disposition at all (a bug): the consumer requeues it. */
  public static final String FAILED = "failed";

  /**
   * Buckets for the provisioning histogram: sub-second for a stand-in or a kept transcoder, tens of seconds for a real
   * WCS (a JVM start), up to the readiness timeout (120 s by default) and beyond for a request that waited for Docker.
   */
  static final double[] PROVISIONING_BUCKETS_SECONDS =
      {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600};

  private final MeterRegistry registry;
  private final Timer provisioning;
  private final TranscoderMetrics transcoders;

  public CommandMetrics(MeterRegistry registry) {
    this.registry = registry;
    Timer.Builder builder = Timer.builder("berth.provisioning")
        .description("From a TranscoderRequested's CloudEvents time to its TranscoderStarted, confirmed by the broker");
    Duration[] buckets = new Duration[PROVISIONING_BUCKETS_SECONDS.length];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = Duration.ofMillis(Math.round(PROVISIONING_BUCKETS_SECONDS[i] * 1000));
    }
    this.provisioning = builder.serviceLevelObjectives(buckets).register(registry);
    this.transcoders = new TranscoderMetrics(registry);
  }

  /** How the pipeline disposed of one delivery that arrived with {@code routingKey}. */
  public void settled(String routingKey, Disposition disposition) {
    count(routingKey, outcome(disposition));
    if (disposition instanceof Disposition.DeadLetter deadLetter) {
      Counter.builder("berth.dead.letters")
          .description("Commands copied to berth.dead-letter, by x-berth-reason-code")
          .tag("code", deadLetter.code())
          .register(registry)
          .increment();
    }
  }

  /** The pipeline produced no disposition (an exception escaped it): the consumer requeues the delivery. */
  public void failed(String routingKey) {
    count(routingKey, FAILED);
  }

  private void count(String routingKey, String outcome) {
    Counter.builder("berth.commands")
        .description("Command deliveries by type and how they ended")
        .tag("type", commandType(routingKey))
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  /**
   * A lifecycle event of a command was confirmed by the broker at {@code now}. A request's {@code TranscoderStarted}
   * is its provisioning latency (a publisher clock ahead of ours counts as 0); a {@code TranscoderRestarted} a restart.
   */
  public void reported(String commandType, Instant commandTime, LifecycleData event, Instant now) {
    if (event instanceof TranscoderStarted && EventType.TRANSCODER_REQUESTED.typeName().equals(commandType)) {
      Duration latency = Duration.between(commandTime, now);
      provisioning.record(latency.isNegative() ? Duration.ZERO : latency);
    } else if (event instanceof TranscoderRestarted restarted) {
      transcoders.restarted(restarted.cause());
    }
  }

  static String commandType(String routingKey) {
    return EventType.fromTypeName(routingKey)
        .filter(type -> type.kind() == EventType.Kind.COMMAND)
        .map(EventType::typeName)
        .orElse(OTHER_TYPE);
  }

  static String outcome(Disposition disposition) {
    if (disposition instanceof Disposition.Ack) {
      return "acked";
    }
    if (disposition instanceof Disposition.DeadLetter) {
      return "dead-lettered";
    }
    if (disposition instanceof Disposition.Requeue) {
      return "requeued";
    }
    if (disposition instanceof Disposition.GiveBack) {
      return "given-back";
    }
    if (disposition instanceof Disposition.Abandon) {
      return "abandoned";
    }
    return FAILED;
  }
}
