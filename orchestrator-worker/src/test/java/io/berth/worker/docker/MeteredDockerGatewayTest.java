package io.berth.worker.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MeteredDockerGatewayTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  /** What the next call to the fake Docker throws; null: it answers. */
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final DockerGateway docker = new MeteredDockerGateway((DockerGateway) Proxy.newProxyInstance(
      getClass().getClassLoader(), new Class<?>[] {DockerGateway.class}, (proxy, method, args) -> {
        RuntimeException e = failure.getAndSet(null);
        if (e != null) {
          throw e;
        }
        return switch (method.getName()) {
          case "listManaged" -> List.of();
          case "create" -> "c0ffee";
          case "exec" -> 0L;
          default -> null;
        };
      }), registry);

  private long calls(String operation) {
    return registry.get("berth.docker.calls").tag("operation", operation).timer().count();
  }

  private double errors(String operation, String kind) {
    var counter = registry.find("berth.docker.errors").tag("operation", operation).tag("kind", kind).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void everyCallIsTimedByOperation() {
    docker.ping();
    docker.listManaged();
    docker.listManaged();
    assertThat(docker.create(null)).isEqualTo("c0ffee");
    docker.stop("c0ffee", Duration.ofSeconds(1));

    assertThat(calls("ping")).isEqualTo(1);
    assertThat(calls("list")).isEqualTo(2);
    assertThat(calls("create")).isEqualTo(1);
    assertThat(calls("stop")).isEqualTo(1);
    assertThat(registry.find("berth.docker.errors").counters()).isEmpty();
  }

  @Test
  void errorsAreCountedByKindTimedTooAndStillThrown() {
    failure.set(new DockerUnavailableException("ping", new IOException("connection refused")));
    assertThatThrownBy(docker::ping).isInstanceOf(DockerUnavailableException.class);
    failure.set(new DockerCallException("start", 500, "driver failed", null));
    assertThatThrownBy(() -> docker.start("c0ffee")).isInstanceOf(DockerCallException.class);
    failure.set(new DockerCallException("create", 409, "name in use", null));
    assertThatThrownBy(() -> docker.create(null)).isInstanceOf(DockerCallException.class);
    failure.set(new NetworkConflictException("other settings"));
    assertThatThrownBy(() -> docker.ensureNetwork(null)).isInstanceOf(NetworkConflictException.class);

    assertThat(errors("ping", "unavailable")).isEqualTo(1);
    assertThat(errors("start", "server-error")).isEqualTo(1);
    assertThat(errors("create", "client-error")).isEqualTo(1);
    assertThat(errors("ensure-network", "other")).isEqualTo(1);
    assertThat(calls("ping")).as("a failed call has a latency too").isEqualTo(1);
  }
}
