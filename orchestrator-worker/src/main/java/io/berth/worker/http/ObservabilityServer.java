package io.berth.worker.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.berth.worker.config.ConfigException;
import io.berth.worker.config.EnvNames;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's one HTTP port ({@code BERTH_HTTP_PORT}), on every interface: {@code /metrics} for Prometheus,
 * {@code /health/live} and {@code /health/ready} for orchestrators and load balancers, and for people the fleet page
 * at {@code /} with its data at {@code /api/transcoders}. The JDK's server on a small executor of its own, so a slow
 * scraper or a stuck client never takes a thread that works on commands. Read-only: any other path is 404, any method
 * but GET and HEAD 405.
 */
public final class ObservabilityServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ObservabilityServer.class);
  /** Prometheus text exposition format, what {@code PrometheusMeterRegistry.scrape()} writes. */
  static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  static final String JSON_CONTENT_TYPE = "application/json";
  /** Three: one page read waiting on Docker (see {@link CachedReading}) still leaves two for probes and scrapes. */
  private static final int THREADS = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final BooleanSupplier live;
  private final Supplier<List<HealthCheck>> readiness;
  private final Supplier<String> metrics;
  private final Optional<Supplier<TranscoderView>> transcoders;
  private final PageAssets page;

  private ObservabilityServer(HttpServer server, BooleanSupplier live, Supplier<List<HealthCheck>> readiness,
      Supplier<String> metrics, Optional<Supplier<TranscoderView>> transcoders) {
    this.server = server;
    this.live = live;
    this.readiness = readiness;
    this.metrics = metrics;
    this.transcoders = transcoders;
    this.page = transcoders.isPresent() ? PageAssets.load() : null;
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "berth-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Listens on {@code port} on all interfaces (0: any free port, for tests; the worker never passes 0, which
   * configures no port at all) and serves until {@link #close()}.
   *
   * @param live false once the worker is stopping
   * @param readiness the checks, read on every request
   * @param metrics the Prometheus text, rendered on every scrape
   * @throws ConfigException naming {@code BERTH_HTTP_PORT} when the port is taken (another worker on this host?)
   */
  public static ObservabilityServer start(int port, BooleanSupplier live, Supplier<List<HealthCheck>> readiness,
      Supplier<String> metrics) throws IOException {
    return start(port, live, readiness, metrics, Optional.empty());
  }

  /**
   * As above, with the fleet page.
   *
   * @param transcoders the page's data, read on every {@code /api/transcoders}: it must be cheap or cached itself
   *     ({@link LiveTranscoderViews} is)
   */
  public static ObservabilityServer start(int port, BooleanSupplier live, Supplier<List<HealthCheck>> readiness,
      Supplier<String> metrics, Optional<Supplier<TranscoderView>> transcoders) throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 16);
    } catch (BindException e) {
      throw new ConfigException(EnvNames.HTTP_PORT, "cannot listen on port " + port + " (" + e.getMessage()
          + "); another process holds it");
    }
    ObservabilityServer observability = new ObservabilityServer(server, live, readiness, metrics, transcoders);
    server.setExecutor(observability.executor);
    server.createContext("/", observability::handle);
    server.start();
    log.info("http listening: port={} paths={}/metrics,/health/live,/health/ready", observability.port(),
        transcoders.isPresent() ? "/,/api/transcoders," : "");
    return observability;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) {
    try {
      route(exchange);
    } catch (IOException e) {
      log.debug("http client went away: error={}", e.toString()); // a scraper that hung up; nobody to answer
    } catch (RuntimeException e) {
      log.warn("http request failed: path={} error={}", exchange.getRequestURI().getPath(), e.toString());
      try {
        respond(exchange, 500, "text/plain; charset=utf-8", "internal error\n");
      } catch (IOException | RuntimeException alreadyAnswering) {
        // headers were sent before it failed: closing the exchange is all that is left
      }
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
      return;
    }
    switch (exchange.getRequestURI().getPath()) {
      case "/metrics" -> respond(exchange, 200, METRICS_CONTENT_TYPE, metrics.get());
      case "/health/live" -> {
        boolean alive = live.getAsBoolean();
        respond(exchange, alive ? 200 : 503, JSON_CONTENT_TYPE, json(Map.of("status", alive ? "live" : "stopping")));
      }
      case "/health/ready" -> ready(exchange);
      case "/api/transcoders" -> {
        if (transcoders.isPresent()) {
          respond(exchange, 200, JSON_CONTENT_TYPE, TranscoderViewJson.render(transcoders.get().get()));
        } else {
          notFound(exchange);
        }
      }
      default -> {
        Optional<PageAssets.Asset> asset = page == null ? Optional.empty() : page.at(exchange.getRequestURI().getPath());
        if (asset.isPresent()) {
          exchange.getResponseHeaders().set("Content-Security-Policy", PageAssets.CONTENT_SECURITY_POLICY);
          exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
          respond(exchange, 200, asset.get().contentType(), asset.get().body());
        } else {
          notFound(exchange);
        }
      }
    }
  }

  private void notFound(HttpExchange exchange) throws IOException {
    respond(exchange, 404, "text/plain; charset=utf-8", "not found; try " + (page == null ? "" : "/ (the fleet page), "
        + "/api/transcoders, ") + "/metrics, /health/live or /health/ready\n");
  }

  /** {"status":"ready"|"not-ready","checks":{"broker":{"ok":true,"state":"connected"},...}}: why, at a glance. */
  private void ready(HttpExchange exchange) throws IOException {
    List<HealthCheck> checks = readiness.get();
    boolean ready = WorkerReadiness.ready(checks);
    Map<String, Object> byName = new LinkedHashMap<>();
    for (HealthCheck check : checks) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("ok", check.ok());
      entry.put("state", check.state());
      byName.put(check.name(), entry);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", ready ? "ready" : "not-ready");
    body.put("checks", byName);
    respond(exchange, ready ? 200 : 503, JSON_CONTENT_TYPE, json(body));
  }

  private static String json(Object body) throws IOException {
    return JSON.writeValueAsString(body) + "\n";
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff"); // JSON and text stay what they say
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Stops listening at once: a scrape or probe cut short at shutdown is harmless. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
