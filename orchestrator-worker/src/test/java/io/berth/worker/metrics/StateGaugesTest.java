package io.berth.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.worker.http.WorkerReadiness;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StateGaugesTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private double gauge(String name, String tag, String value) {
    return registry.get(name).tag(tag, value).gauge().value();
  }

  @Test
  void breakerStateIsOneSeriesPerStateWithOneSet() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("docker");
    StateGauges.breaker(registry, breaker::getState);
    assertThat(gauge("berth.docker.breaker.state", "state", "closed")).isEqualTo(1);
    assertThat(gauge("berth.docker.breaker.state", "state", "open")).isZero();

    breaker.transitionToOpenState();
    assertThat(gauge("berth.docker.breaker.state", "state", "closed")).isZero();
    assertThat(gauge("berth.docker.breaker.state", "state", "open")).isEqualTo(1);
    assertThat(registry.get("berth.docker.breaker.state").gauges())
        .hasSize(CircuitBreaker.State.values().length)
        .extracting(g -> g.value()).containsOnlyOnce(1.0);
  }

  @Test
  void demandIsThreeSeriesReadAtScrapeTimeWithNoRoomOrTenantTag() {
    AtomicInteger desired = new AtomicInteger(7);
    AtomicInteger running = new AtomicInteger(5);
    AtomicInteger pending = new AtomicInteger(2);
    StateGauges.demand(registry, desired::get, running::get, pending::get);
    assertThat(gauge("berth.demand.transcoders", "state", "desired")).isEqualTo(7);
    assertThat(gauge("berth.demand.transcoders", "state", "running")).isEqualTo(5);
    assertThat(gauge("berth.demand.transcoders", "state", "pending")).isEqualTo(2);
    pending.set(0);
    assertThat(gauge("berth.demand.transcoders", "state", "pending")).isZero();
    assertThat(registry.get("berth.demand.transcoders").gauges()).hasSize(3)
        .allSatisfy(g -> assertThat(g.getId().getTags()).extracting(t -> t.getKey()).containsExactly("state"));
  }

  @Test
  void intakeShowsEachReasonItIsPausedFor() {
    Set<String> paused = new HashSet<>(Set.of("capacity"));
    StateGauges.intake(registry, Set.of("shutdown", "docker", "capacity", "unsafe"), paused::contains);
    assertThat(gauge("berth.intake.paused", "reason", "capacity")).isEqualTo(1);
    assertThat(gauge("berth.intake.paused", "reason", "docker")).isZero();

    paused.add("docker");
    paused.remove("capacity");
    assertThat(gauge("berth.intake.paused", "reason", "docker")).isEqualTo(1);
    assertThat(gauge("berth.intake.paused", "reason", "capacity")).isZero();
  }

  @Test
  void transcodersByDockerStateAndCapacity() {
    AtomicReference<Map<String, Integer>> byState = new AtomicReference<>(Map.of());
    AtomicInteger held = new AtomicInteger();
    StateGauges.transcoders(registry, byState::get, held::get, 20, () -> 20 - held.get());
    assertThat(gauge("berth.transcoders", "state", "running")).as("before the first pass").isZero();

    byState.set(Map.of("running", 3, "exited", 1));
    held.set(4);
    assertThat(gauge("berth.transcoders", "state", "running")).isEqualTo(3);
    assertThat(gauge("berth.transcoders", "state", "exited")).isEqualTo(1);
    assertThat(gauge("berth.transcoders", "state", "created")).isZero();
    assertThat(registry.get("berth.transcoders.held").gauge().value()).isEqualTo(4);
    assertThat(registry.get("berth.capacity.slots").gauge().value()).isEqualTo(20);
    assertThat(registry.get("berth.capacity.free").gauge().value()).isEqualTo(16);
  }

  @Test
  void readinessAndEachCheckAsGauges() {
    AtomicBoolean dockerDown = new AtomicBoolean();
    StateGauges.dockerAvailable(registry, dockerDown::get);
    StateGauges.readiness(registry, new WorkerReadiness(() -> false, () -> true, () -> true, dockerDown::get,
        () -> CircuitBreaker.State.CLOSED, Optional.empty()));
    assertThat(registry.get("berth.ready").gauge().value()).isEqualTo(1);
    assertThat(registry.get("berth.docker.available").gauge().value()).isEqualTo(1);

    dockerDown.set(true);
    assertThat(registry.get("berth.ready").gauge().value()).isZero();
    assertThat(registry.get("berth.docker.available").gauge().value()).isZero();
    assertThat(gauge("berth.readiness.check", "check", "docker")).isZero();
    assertThat(gauge("berth.readiness.check", "check", "broker")).isEqualTo(1);
  }
}
