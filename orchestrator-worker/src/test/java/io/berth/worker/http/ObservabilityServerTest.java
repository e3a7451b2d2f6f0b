package io.berth.worker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.TranscoderStarted;
import io.berth.worker.config.ConfigException;
import io.berth.worker.metrics.CommandMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real server on a free port, with health facts the test sets and a real Prometheus registry. */
class ObservabilityServerTest {
  private final AtomicBoolean live = new AtomicBoolean(true);
  private final List<HealthCheck> checks = new CopyOnWriteArrayList<>(List.of(
      new HealthCheck("broker", true, "connected"), new HealthCheck("docker", true, "reachable")));
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private ObservabilityServer server;

  private ObservabilityServer start() throws Exception {
    server = ObservabilityServer.start(0, live::get, () -> List.copyOf(checks), registry::scrape);
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private HttpResponse<String> request(String method, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return request("GET", path);
  }

  @Test
  void liveUntilTheWorkerStops() throws Exception {
    start();
    HttpResponse<String> up = get("/health/live");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(json.readTree(up.body()).path("status").asText()).isEqualTo("live");

    live.set(false);
    HttpResponse<String> stopping = get("/health/live");
    assertThat(stopping.statusCode()).isEqualTo(503);
    assertThat(json.readTree(stopping.body()).path("status").asText()).isEqualTo("stopping");
  }

  @Test
  void readyOnlyWhenEveryCheckPassesAndTheBodySaysWhichFailed() throws Exception {
    start();
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = json.readTree(ready.body());
    assertThat(body.path("status").asText()).isEqualTo("ready");
    assertThat(body.path("checks").path("broker").path("ok").asBoolean()).isTrue();
    assertThat(body.path("checks").path("docker").path("state").asText()).isEqualTo("reachable");

    checks.set(1, new HealthCheck("docker", false, "unreachable"));
    HttpResponse<String> notReady = get("/health/ready");
    assertThat(notReady.statusCode()).isEqualTo(503);
    JsonNode why = json.readTree(notReady.body());
    assertThat(why.path("status").asText()).isEqualTo("not-ready");
    assertThat(why.path("checks").path("docker").path("ok").asBoolean()).isFalse();
    assertThat(why.path("checks").path("docker").path("state").asText()).isEqualTo("unreachable");
    assertThat(why.path("checks").path("broker").path("ok").asBoolean()).as("the others still shown").isTrue();
  }

  @Test
  void metricsServeThePrometheusTextWithTheProvisioningHistogram() throws Exception {
    start();
    Instant requested = Instant.parse("2026-01-01T00:00:00Z");
    new CommandMetrics(registry).reported("TranscoderRequested", requested, new TranscoderStarted("acme", "tx-1",
        "room-1", "host-a", "c0ffee", "berth-acme-tx-1", "berth-wcs", "192.0.2.70"), requested.plusMillis(1500));

    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain; version=0.0.4");
    assertThat(metrics.body())
        .contains("# TYPE berth_provisioning_seconds histogram")
        .contains("berth_provisioning_seconds_bucket{le=\"1.0\"} 0")
        .contains("berth_provisioning_seconds_bucket{le=\"2.5\"} 1")
        .contains("berth_provisioning_seconds_count 1")
        .doesNotContain("acme").doesNotContain("tx-1"); // never a tenant or transcoder as a tag
  }

  @Test
  void thePageAndItsDataWhenTheWorkerHasAView() throws Exception {
    TranscoderView view = new TranscoderView(Instant.parse("2026-11-25T10:00:00Z"), "h1", "single",
        Instant.parse("2026-11-25T09:00:00Z"), List.of(new TranscoderView.Host("h1", 1, null, true)),
        List.of(new TranscoderView.Transcoder("acme", "tx-1", "<room>", "192.0.2.70", "https://192.0.2.70:8444/", "h1",
            "running", true, 5L, 0, null, null, false, null, null)), List.of());
    server = ObservabilityServer.start(0, live::get, () -> List.copyOf(checks), registry::scrape,
        java.util.Optional.of(() -> view));

    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
        .contains("default-src 'none'", "script-src 'self'");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.body()).contains("<script src=\"page.js\" defer></script>").doesNotContain("<script>");
    assertThat(get("/page.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(get("/page.js").body()).contains("textContent").doesNotContain("innerHTML");
    assertThat(get("/page.css").statusCode()).isEqualTo(200);

    HttpResponse<String> api = get("/api/transcoders");
    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = json.readTree(api.body());
    assertThat(body.path("transcoders").get(0).path("roomId").asText()).isEqualTo("<room>");
    assertThat(api.body()).doesNotContain("<room>");
    assertThat(get("/index.html").statusCode()).isEqualTo(404);
  }

  @Test
  void onlyGetAndHeadOnThreeKnownPaths() throws Exception {
    start(); // no view of the transcoders: no page
    assertThat(get("/").statusCode()).isEqualTo(404);
    assertThat(get("/api/transcoders").statusCode()).isEqualTo(404);
    assertThat(get("/metricsx").statusCode()).isEqualTo(404);
    assertThat(get("/health").statusCode()).isEqualTo(404);
    HttpResponse<String> post = request("POST", "/health/ready");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    HttpResponse<String> head = request("HEAD", "/health/ready");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void aFailingSourceIsA500NotADeadServer() throws Exception {
    server = ObservabilityServer.start(0, live::get, () -> {
      throw new IllegalStateException("boom");
    }, registry::scrape);
    assertThat(get("/health/ready").statusCode()).isEqualTo(500);
    assertThat(get("/health/live").statusCode()).as("still serving").isEqualTo(200);
  }

  @Test
  void aPortAlreadyTakenIsAConfigErrorNamingTheVariable() throws Exception {
    start();
    assertThatThrownBy(() -> ObservabilityServer.start(server.port(), live::get, List::of, registry::scrape))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("BERTH_HTTP_PORT: cannot listen on port " + server.port());
  }
}
