package io.berth.worker.http;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The readiness rule, in one place: ready means running (not stopping), connected to the broker with every consumer
 * consuming or recovering within its budget, Docker reachable, the Docker circuit breaker closed, and in a fleet the
 * host lease held. Each fact is read from what the worker already knows — no call to Docker, the broker or etcd — so
 * a probe never hangs on the thing it reports about, and costs nothing at any probe rate.
 */
public final class WorkerReadiness {

  /** The host lease, in fleet mode. */
  public record Lease(BooleanSupplier held, BooleanSupplier fenced) {
    public Lease {
      Objects.requireNonNull(held, "held");
      Objects.requireNonNull(fenced, "fenced");
    }
  }

  private final BooleanSupplier stopping;
  private final BooleanSupplier brokerConnected;
  private final BooleanSupplier consumersHealthy;
  private final BooleanSupplier dockerDown;
  private final Supplier<CircuitBreaker.State> breaker;
  private final Optional<Lease> lease;
  private final Supplier<Optional<String>> unfit;

  /**
   * @param brokerConnected both connections (consuming, publishing) open
   * @param consumersHealthy no consumer has failed to consume for longer than its budget
   * @param dockerDown Docker found unreachable (the breaker opened, or at start) and not answered a ping since
   * @param lease present in fleet mode only
   */
  public WorkerReadiness(BooleanSupplier stopping, BooleanSupplier brokerConnected, BooleanSupplier consumersHealthy,
      BooleanSupplier dockerDown, Supplier<CircuitBreaker.State> breaker, Optional<Lease> lease) {
    this(stopping, brokerConnected, consumersHealthy, dockerDown, breaker, lease, Optional::empty);
  }

  /** @param unfit why the host takes no requests (network, default image, kernel), if it does not */
  public WorkerReadiness(BooleanSupplier stopping, BooleanSupplier brokerConnected, BooleanSupplier consumersHealthy,
      BooleanSupplier dockerDown, Supplier<CircuitBreaker.State> breaker, Optional<Lease> lease,
      Supplier<Optional<String>> unfit) {
    this.unfit = unfit;
    this.stopping = stopping;
    this.brokerConnected = brokerConnected;
    this.consumersHealthy = consumersHealthy;
    this.dockerDown = dockerDown;
    this.breaker = breaker;
    this.lease = lease;
  }

  /** Every check, in a stable order, each read now. */
  public List<HealthCheck> checks() {
    List<HealthCheck> checks = new ArrayList<>();
    checks.add(HealthCheck.of("worker", !stopping.getAsBoolean(), "running", "stopping"));
    checks.add(HealthCheck.of("broker", brokerConnected.getAsBoolean(), "connected", "disconnected"));
    checks.add(HealthCheck.of("consumers", consumersHealthy.getAsBoolean(), "healthy", "cannot consume"));
    checks.add(HealthCheck.of("docker", !dockerDown.getAsBoolean(), "reachable", "unreachable"));
    Optional<String> why = unfit.get();
    checks.add(new HealthCheck("fit", why.isEmpty(), why.map(w -> "unfit: " + w).orElse("fit")));
    CircuitBreaker.State state = breaker.get();
    checks.add(new HealthCheck("breaker", state == CircuitBreaker.State.CLOSED, state.name().toLowerCase(Locale.ROOT)));
    lease.ifPresent(l -> {
      boolean fenced = l.fenced().getAsBoolean();
      boolean held = l.held().getAsBoolean();
      checks.add(new HealthCheck("lease", held, held ? "held" : fenced ? "fenced" : "out of contact"));
    });
    return checks;
  }

  public static boolean ready(List<HealthCheck> checks) {
    return checks.stream().allMatch(HealthCheck::ok);
  }
}
