package io.berth.worker.docker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Times every call that reaches Docker and counts its errors, by operation. It wraps the raw gateway, under the retry
 * and the circuit breaker: each attempt is one call, and a call the open breaker refused is none (the breaker's own
 * gauge shows that). Tags are the operation name and an error kind, never a container, image or tenant.
 */
public final class MeteredDockerGateway implements DockerGateway {
  /** Pings take milliseconds, a stop waits for the grace period, an exec-probe for its timeout. */
  private static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

  private final DockerGateway delegate;
  private final MeterRegistry registry;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  public MeteredDockerGateway(DockerGateway delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
  }

  private <T> T timed(String operation, Supplier<T> call) {
    long start = System.nanoTime();
    try {
      return call.get();
    } catch (RuntimeException e) {
      Counter.builder("berth.docker.errors")
          .description("Docker calls that failed, by operation and kind (unavailable, client-error, server-error, other)")
          .tag("operation", operation)
          .tag("kind", kind(e))
          .register(registry)
          .increment();
      throw e;
    } finally {
      timers.computeIfAbsent(operation, op -> Timer.builder("berth.docker.calls")
          .description("Latency of calls to the Docker Engine API, by operation, failed ones included")
          .tag("operation", op)
          .serviceLevelObjectives(BUCKETS)
          .register(registry))
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  private void timed(String operation, Runnable call) {
    timed(operation, () -> {
      call.run();
      return null;
    });
  }

  static String kind(RuntimeException e) {
    if (e instanceof DockerUnavailableException) {
      return "unavailable";
    }
    if (e instanceof DockerCallException call) {
      return call.status() >= 500 ? "server-error" : "client-error";
    }
    return "other";
  }

  @Override
  public void ping() {
    timed("ping", delegate::ping);
  }

  @Override
  public void ensureNetwork(NetworkSpec spec) {
    timed("ensure-network", () -> delegate.ensureNetwork(spec));
  }

  @Override
  public List<ManagedContainer> listManaged() {
    return timed("list", delegate::listManaged);
  }

  @Override
  public Optional<ManagedContainer> find(String nameOrId) {
    return timed("find", () -> delegate.find(nameOrId));
  }

  @Override
  public Set<String> endpointAddresses(String network) {
    return timed("endpoint-addresses", () -> delegate.endpointAddresses(network));
  }

  @Override
  public boolean imageExists(String image) {
    return timed("image-exists", () -> delegate.imageExists(image));
  }

  @Override
  public String create(ContainerSpec spec) {
    return timed("create", () -> delegate.create(spec));
  }

  @Override
  public void start(String id) {
    timed("start", () -> delegate.start(id));
  }

  @Override
  public void stop(String id, Duration timeout) {
    timed("stop", () -> delegate.stop(id, timeout));
  }

  @Override
  public void restart(String id, Duration timeout) {
    timed("restart", () -> delegate.restart(id, timeout));
  }

  @Override
  public void remove(String id) {
    timed("remove", () -> delegate.remove(id));
  }

  /** Only the subscription call is timed; the stream's life is the event watcher's business. */
  @Override
  public AutoCloseable subscribe(Map<String, String> labels, Instant since, Consumer<ContainerEvent> onEvent,
      Consumer<Throwable> onEnd) {
    return timed("subscribe", () -> delegate.subscribe(labels, since, onEvent, onEnd));
  }

  @Override
  public long exec(String id, List<String> command, Duration timeout) {
    return timed("exec", () -> delegate.exec(id, command, timeout));
  }
}
