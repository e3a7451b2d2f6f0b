package io.berth.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The readiness rule: each fact alone can make the worker not ready, and says so by name. */
class WorkerReadinessTest {
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicBoolean broker = new AtomicBoolean(true);
  private final AtomicBoolean consumers = new AtomicBoolean(true);
  private final AtomicBoolean dockerDown = new AtomicBoolean();
  private final AtomicReference<CircuitBreaker.State> breaker = new AtomicReference<>(CircuitBreaker.State.CLOSED);
  private final AtomicBoolean leaseHeld = new AtomicBoolean(true);
  private final AtomicBoolean fenced = new AtomicBoolean();
  private final AtomicReference<Optional<String>> unfit = new AtomicReference<>(Optional.empty());

  private WorkerReadiness single() {
    return new WorkerReadiness(stopping::get, broker::get, consumers::get, dockerDown::get, breaker::get,
        Optional.empty(), unfit::get);
  }

  private WorkerReadiness fleet() {
    return new WorkerReadiness(stopping::get, broker::get, consumers::get, dockerDown::get, breaker::get,
        Optional.of(new WorkerReadiness.Lease(leaseHeld::get, fenced::get)));
  }

  private static Map<String, String> states(List<HealthCheck> checks) {
    return checks.stream().collect(Collectors.toMap(HealthCheck::name, HealthCheck::state));
  }

  @Test
  void aHealthySingleHostIsReadyWithoutALeaseCheck() {
    List<HealthCheck> checks = single().checks();
    assertThat(WorkerReadiness.ready(checks)).isTrue();
    assertThat(checks).extracting(HealthCheck::name)
        .containsExactly("worker", "broker", "consumers", "docker", "fit", "breaker");
    assertThat(states(checks)).containsEntry("broker", "connected").containsEntry("breaker", "closed");
  }

  @Test
  void eachFactAloneMakesItNotReadyAndIsNamed() {
    assertNotReadyBecause(() -> stopping.set(true), "worker", "stopping");
    assertNotReadyBecause(() -> broker.set(false), "broker", "disconnected");
    assertNotReadyBecause(() -> consumers.set(false), "consumers", "cannot consume");
    assertNotReadyBecause(() -> dockerDown.set(true), "docker", "unreachable");
    assertNotReadyBecause(() -> breaker.set(CircuitBreaker.State.OPEN), "breaker", "open");
    assertNotReadyBecause(() -> breaker.set(CircuitBreaker.State.HALF_OPEN), "breaker", "half_open");
    assertNotReadyBecause(() -> unfit.set(Optional.of("image-unknown: default image absent")), "fit",
        "unfit: image-unknown: default image absent");
  }

  private void assertNotReadyBecause(Runnable breakIt, String check, String state) {
    stopping.set(false);
    broker.set(true);
    consumers.set(true);
    dockerDown.set(false);
    breaker.set(CircuitBreaker.State.CLOSED);
    unfit.set(Optional.empty());
    assertThat(WorkerReadiness.ready(single().checks())).isTrue();
    breakIt.run();
    List<HealthCheck> checks = single().checks();
    assertThat(WorkerReadiness.ready(checks)).as(check).isFalse();
    assertThat(checks).filteredOn(c -> !c.ok()).containsExactly(new HealthCheck(check, false, state));
  }

  @Test
  void inAFleetTheLeaseMustBeHeld() {
    assertThat(WorkerReadiness.ready(fleet().checks())).isTrue();
    assertThat(states(fleet().checks())).containsEntry("lease", "held");

    leaseHeld.set(false);
    assertThat(WorkerReadiness.ready(fleet().checks())).isFalse();
    assertThat(states(fleet().checks())).containsEntry("lease", "out of contact");

    fenced.set(true);
    assertThat(states(fleet().checks())).containsEntry("lease", "fenced");
  }
}
