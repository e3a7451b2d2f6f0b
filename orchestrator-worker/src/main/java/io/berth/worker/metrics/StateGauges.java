package io.berth.worker.metrics;

import io.berth.worker.http.HealthCheck;
import io.berth.worker.http.WorkerReadiness;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Gauges over what the worker already knows, read at scrape time: nothing here calls Docker, the broker or etcd.
 * Enumerations (breaker state, pause reason, Docker state) are one series per value, 1 or 0, all registered up front,
 * so a dashboard sees every value from the first scrape and the tag values stay a fixed, small set.
 */
public final class StateGauges {
  /** Docker's container states: the tag values of {@code berth_transcoders}. */
  static final List<String> DOCKER_STATES =
      List.of("created", "running", "paused", "restarting", "removing", "exited", "dead");

  private StateGauges() {}

  public static void breaker(MeterRegistry registry, Supplier<CircuitBreaker.State> state) {
    for (CircuitBreaker.State value : CircuitBreaker.State.values()) {
      Gauge.builder("berth.docker.breaker.state", () -> state.get() == value ? 1 : 0)
          .description("The Docker circuit breaker's state: 1 for the current one")
          .tag("state", value.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
  }

  public static void dockerAvailable(MeterRegistry registry, BooleanSupplier dockerDown) {
    Gauge.builder("berth.docker.available", () -> dockerDown.getAsBoolean() ? 0 : 1)
        .description("1 unless the worker found Docker unreachable and it has not answered a ping since")
        .register(registry);
  }

  /** @param reasons every reason intake may pause for; {@code pausedFor} whether it does now */
  public static void intake(MeterRegistry registry, Set<String> reasons, Predicate<String> pausedFor) {
    for (String reason : reasons) {
      Gauge.builder("berth.intake.paused", () -> pausedFor.test(reason) ? 1 : 0)
          .description("1 while some queue's consumer is cancelled for this reason")
          .tag("reason", reason)
          .register(registry);
    }
  }

  /** @param byState this host's containers by Docker state, as the last reconcile pass found them */
  public static void transcoders(MeterRegistry registry, Supplier<Map<String, Integer>> byState, IntSupplier held,
      int capacity, IntSupplier free) {
    for (String state : DOCKER_STATES) {
      Gauge.builder("berth.transcoders", () -> byState.get().getOrDefault(state, 0))
          .description("This host's transcoder containers by Docker state, as of the last reconcile pass")
          .tag("state", state)
          .register(registry);
    }
    Gauge.builder("berth.transcoders.held", held::getAsInt)
        .description("Transcoders this host holds now (running, suspended or left stopped): slots taken")
        .register(registry);
    Gauge.builder("berth.capacity.slots", () -> capacity)
        .description("BERTH_MAX_TRANSCODERS")
        .register(registry);
    Gauge.builder("berth.capacity.free", free::getAsInt)
        .description("Slots free for new requests (capacity minus held minus being provisioned)")
        .register(registry);
  }

  /**
   * Room demands as this host's last pass of the demand loop saw them, summed over every room (no room or tenant tag):
   * {@code desired}, {@code running}, {@code pending}. Every host of a fleet sees the same rooms: take the max over
   * instances, not the sum.
   */
  public static void demand(MeterRegistry registry, IntSupplier desired, IntSupplier running, IntSupplier pending) {
    Map<String, IntSupplier> states = Map.of("desired", desired, "running", running, "pending", pending);
    states.forEach((state, value) -> Gauge.builder("berth.demand.transcoders", value::getAsInt)
        .description("Demand-managed transcoders over all rooms under demand, fleet-wide, as of this host's last"
            + " demand pass: desired, running, pending (no host could take them yet)")
        .tag("state", state)
        .register(registry));
  }

  /** {@code berth_ready} as /health/ready answers, and each of its checks. */
  public static void readiness(MeterRegistry registry, WorkerReadiness readiness) {
    Gauge.builder("berth.ready", () -> WorkerReadiness.ready(readiness.checks()) ? 1 : 0)
        .description("1 when /health/ready answers 200")
        .register(registry);
    for (HealthCheck check : readiness.checks()) {
      String name = check.name();
      Gauge.builder("berth.readiness.check", () -> readiness.checks().stream()
              .filter(c -> c.name().equals(name)).anyMatch(HealthCheck::ok) ? 1 : 0)
          .description("1 while this readiness check passes (worker, broker, consumers, docker, breaker, lease)")
          .tag("check", name)
          .register(registry);
    }
  }
}
