package io.berth.worker.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.worker.config.DockerRetryConfig;
import io.berth.worker.docker.DockerCallException;
import io.berth.worker.docker.DockerGateway;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransientRetrierTest {
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final DockerAvailability availability = new DockerAvailability(CircuitBreaker.ofDefaults("test"),
      (DockerGateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DockerGateway.class},
          (proxy, method, args) -> null),
      Duration.ofSeconds(1), Executors.newSingleThreadScheduledExecutor(), () -> { }, () -> { });
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final TransientRetrier retrier = new TransientRetrier(new FailureClassifier(), availability,
      new DockerRetryConfig(1, Duration.ofMillis(1), Duration.ofMillis(2)), 3, stopping::get, meters);

  @Test
  void aBlipIsRetriedUntilItSucceeds() {
    AtomicInteger calls = new AtomicInteger();
    String result = retrier.run(() -> {
      if (calls.incrementAndGet() < 3) {
        throw new DockerCallException("start", 500, "blip", null);
      }
      return "ok";
    });
    assertThat(result).isEqualTo("ok");
    assertThat(calls).hasValue(3);
    assertThat(meters.get("berth.retries").tag("code", FailureCodes.DOCKER_ERROR).counter().count())
        .as("two rounds retried").isEqualTo(2.0);
  }

  @Test
  void aDockerThatAnswersButKeepsFailingEndsAsRetriableDockerError() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retrier.run(() -> {
      calls.incrementAndGet();
      throw new DockerCallException("start", 500, "exec format error", null);
    })).isInstanceOfSatisfying(ProvisioningException.class, e -> {
      assertThat(e.code()).isEqualTo(FailureCodes.DOCKER_ERROR);
      assertThat(e.retriable()).isTrue();
      assertThat(e.getMessage()).contains("exec format error").contains("3 rounds");
    });
    assertThat(calls).hasValue(3);
  }

  @Test
  void permanentFailuresPassStraightThrough() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retrier.run(() -> {
      calls.incrementAndGet();
      throw new ProvisioningException(FailureCodes.IMAGE_NOT_ALLOWED, "no", false);
    })).isInstanceOf(ProvisioningException.class);
    assertThat(calls).hasValue(1);
    assertThat(meters.find("berth.retries").counters()).as("nothing retried").isEmpty();
  }

  @Test
  void shutdownGivesTheCommandBack() {
    stopping.set(true);
    assertThatThrownBy(() -> retrier.run(() -> "never")).isInstanceOf(ShuttingDownException.class);
  }
}
