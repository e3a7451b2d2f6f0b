package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.CloudEvent;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * An operator's view of a real worker: /health/ready says ready, /metrics moves with a real request (the command
 * counter and the provisioning histogram), and when Docker goes away readiness turns 503 naming Docker, and back to
 * 200 when it returns; /health/live stays 200 throughout.
 */
class ObservabilityIT extends WorkerItSupport {
  private static final String ACKED_REQUESTS = "berth_commands_total{outcome=\"acked\",type=\"TranscoderRequested\"}";
  private static final String PROVISIONED = "berth_provisioning_seconds_count";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private int port;

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A sample's value in the Prometheus text, 0 when the series does not exist yet (counters appear on first use). */
  private double sample(String series) throws Exception {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
        .matcher(get("/metrics").body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private JsonNode ready() throws Exception {
    HttpResponse<String> response = get("/health/ready");
    JsonNode body = json.readTree(response.body());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(body.path("status").asText().equals("ready")
        ? 200 : 503);
    return body;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void readinessAndMetricsFollowARequestAndADockerOutage() throws Exception {
    try (DockerSocketProxy proxy = new DockerSocketProxy(Path.of("/var/run/docker.sock"))) {
      port = freePort();
      Map<String, String> env = WorkerHarness.env(lan, network, hostId());
      env.put("DOCKER_HOST", proxy.dockerHost());
      env.put("BERTH_HTTP_PORT", Integer.toString(port));
      env.put("BERTH_DOCKER_RETRY_MAX_MS", "400");
      // Docker's loss is noticed without a command: the reconcile pass calls it every second
      env.put("BERTH_RECONCILE_SECONDS", "1");
      startWorker(env);

      assertThat(ready().path("status").asText()).isEqualTo("ready");
      assertThat(ready().path("checks").fieldNames()).toIterable()
          .containsExactly("worker", "broker", "consumers", "docker", "fit", "breaker");
      assertThat(get("/health/live").statusCode()).isEqualTo(200);
      double ackedBefore = sample(ACKED_REQUESTS);
      double provisionedBefore = sample(PROVISIONED);

      CloudEvent<TranscoderRequested> request = request("obs", "tx-1", "room");
      tap.publish(request);
      assertThat(awaitEventCausedBy(request.id()).data()).isInstanceOf(TranscoderStarted.class);
      // counted as the delivery settles, a moment after the event is out
      await().atMost(Duration.ofSeconds(10)).until(() -> sample(ACKED_REQUESTS) == ackedBefore + 1);
      assertThat(sample(PROVISIONED)).isEqualTo(provisionedBefore + 1);
      String metrics = get("/metrics").body();
      assertThat(metrics)
          .contains("berth_provisioning_seconds_bucket{le=\"+Inf\"}")
          .contains("berth_docker_calls_seconds_count{operation=\"create\"}")
          .contains("berth_transcoders_held 1")
          .contains("jvm_memory_used_bytes")
          .doesNotContain("tenant=").doesNotContain("\"obs\""); // no tenant ever becomes a tag

      proxy.down();
      await().atMost(Duration.ofSeconds(60)).until(() -> get("/health/ready").statusCode() == 503);
      JsonNode notReady = ready();
      assertThat(notReady.path("status").asText()).isEqualTo("not-ready");
      assertThat(notReady.path("checks").path("docker").path("state").asText()).isEqualTo("unreachable");
      assertThat(notReady.path("checks").path("breaker").path("ok").asBoolean()).isFalse();
      assertThat(notReady.path("checks").path("broker").path("ok").asBoolean()).as("only Docker is gone").isTrue();
      assertThat(sample("berth_docker_available")).isZero();
      assertThat(sample("berth_intake_paused{reason=\"docker\"}")).isEqualTo(1);
      assertThat(sample("berth_ready")).isZero();
      assertThat(get("/health/live").statusCode()).as("alive, waiting for Docker").isEqualTo(200);

      proxy.up();
      await().atMost(Duration.ofSeconds(60)).until(() -> get("/health/ready").statusCode() == 200);
      assertThat(ready().path("checks").path("breaker").path("state").asText()).isEqualTo("closed");
      // Intake resumes once a reconcile pass has read what Docker holds, just after the breaker closes.
      await().atMost(Duration.ofSeconds(30)).until(() -> sample("berth_intake_paused{reason=\"docker\"}") == 0);
    }
  }

  /** The broker goes away (both of the worker's connections are closed, and closed again as they come back). */
  @Test
  void readinessFollowsTheBrokerGoingAwayAndComingBack() throws Exception {
    port = freePort();
    String host = hostId();
    Map<String, String> env = WorkerHarness.env(lan, network, host);
    env.put("BERTH_HTTP_PORT", Integer.toString(port));
    startWorker(env);
    assertThat(ready().path("status").asText()).isEqualTo("ready");

    java.util.concurrent.CompletableFuture<Void> outage = java.util.concurrent.CompletableFuture.allOf(
        java.util.concurrent.CompletableFuture.runAsync(
            () -> RabbitCtl.keepClosed("berth-worker-" + host, Duration.ofSeconds(12))),
        java.util.concurrent.CompletableFuture.runAsync(
            () -> RabbitCtl.keepClosed("berth-worker-" + host + "-publish", Duration.ofSeconds(12))));
    await().atMost(Duration.ofSeconds(30)).until(() -> get("/health/ready").statusCode() == 503);
    JsonNode notReady = ready();
    assertThat(notReady.path("checks").path("broker").path("state").asText()).isEqualTo("disconnected");
    assertThat(notReady.path("checks").path("docker").path("ok").asBoolean()).as("only the broker is gone").isTrue();
    assertThat(get("/health/live").statusCode()).as("alive, waiting for the broker").isEqualTo(200);

    outage.join();
    await().atMost(Duration.ofSeconds(60)).until(() -> get("/health/ready").statusCode() == 200);
    assertThat(ready().path("checks").path("broker").path("state").asText()).isEqualTo("connected");
  }
}
