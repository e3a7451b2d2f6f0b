package io.berth.worker.docker;

import io.berth.worker.config.DockerRetryConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.Map;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Retries transient Docker failures with exponential backoff and jitter, behind a circuit breaker that the worker
 * watches to stop taking commands while Docker is down. What counts as transient is the classifier's call.
 */
public final class ResilientDockerGateway implements DockerGateway {
  private final DockerGateway delegate;
  private final Retry retry;
  private final CircuitBreaker breaker;

  public ResilientDockerGateway(DockerGateway delegate, DockerRetryConfig config, CircuitBreaker breaker,
      Predicate<Throwable> isTransient) {
    this.delegate = delegate;
    this.breaker = breaker;
    this.retry = Retry.of("docker", RetryConfig.custom()
        .maxAttempts(config.attempts())
        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(config.initial(), 2.0, 0.5, config.max()))
        .retryOnException(isTransient)
        .failAfterMaxAttempts(false)
        .build());
  }

  private <T> T guarded(Supplier<T> call) {
    return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, call)).get();
  }

  private void guarded(Runnable call) {
    guarded(() -> {
      call.run();
      return null;
    });
  }

  @Override
  public void ping() {
    guarded(delegate::ping);
  }

  @Override
  public void ensureNetwork(NetworkSpec spec) {
    guarded(() -> delegate.ensureNetwork(spec));
  }

  @Override
  public List<ManagedContainer> listManaged() {
    return guarded(delegate::listManaged);
  }

  @Override
  public Optional<ManagedContainer> find(String nameOrId) {
    return guarded(() -> delegate.find(nameOrId));
  }

  @Override
  public Set<String> endpointAddresses(String network) {
    return guarded(() -> delegate.endpointAddresses(network));
  }

  @Override
  public boolean imageExists(String image) {
    return guarded(() -> delegate.imageExists(image));
  }

  /** Not retried blindly: a create that reached Docker before the error would leave a name conflict behind. */
  @Override
  public String create(ContainerSpec spec) {
    return CircuitBreaker.decorateSupplier(breaker, () -> delegate.create(spec)).get();
  }

  @Override
  public void start(String id) {
    guarded(() -> delegate.start(id));
  }

  @Override
  public void stop(String id, Duration timeout) {
    guarded(() -> delegate.stop(id, timeout));
  }

  @Override
  public void restart(String id, Duration timeout) {
    guarded(() -> delegate.restart(id, timeout));
  }

  @Override
  public void remove(String id) {
    guarded(() -> delegate.remove(id));
  }

  /** Not retried here: the supervisor re-subscribes with its own backoff when a stream ends. */
  @Override
  public AutoCloseable subscribe(Map<String, String> labels, Instant since,
      Consumer<ContainerEvent> onEvent, Consumer<Throwable> onEnd) {
    return delegate.subscribe(labels, since, onEvent, onEnd);
  }

  @Override
  public long exec(String id, List<String> command, Duration timeout) {
    return guarded(() -> delegate.exec(id, command, timeout));
  }
}
