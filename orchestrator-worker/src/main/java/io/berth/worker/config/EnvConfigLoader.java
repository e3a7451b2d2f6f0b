package io.berth.worker.config;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Builds a {@link WorkerConfig} from environment variables. Every problem becomes a {@link ConfigException} naming the
 * variable, so a bad deployment fails at start with one clear line instead of at the first command.
 */
public final class EnvConfigLoader {
  public static final String DEFAULT_IMAGE = "flashphoner/webcallserver:latest";
  // Defaults other readers of the same variables (berth preflight, berth status) must agree on.
  public static final String DEFAULT_AMQP_URI = "amqp://guest:guest@localhost:5672/%2F";
  public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";
  public static final String DEFAULT_NETWORK_NAME = "berth-wcs";
  public static final String DEFAULT_STATE_DIR = "/var/lib/berth";
  public static final String DEFAULT_ETCD_PREFIX = "/berth";
  /**
   * Transcoders started at once: twice the cores, 2 to 16. Creating and starting a container is CPU work on the host
   * (about half a second of CPU each on the benchmark's 2-core host), so more at once than the cores can serve only
   * adds waiting: the benchmark's sweep there (docs/defaults.md) gave 4 the best rate.
   */
  public static final int DEFAULT_CONCURRENCY = Math.max(2, Math.min(16, 2 * Runtime.getRuntime().availableProcessors()));
  /** At least the concurrency on hosts up to 8 cores, small enough that a burst spreads over a fleet's hosts. */
  public static final int DEFAULT_PREFETCH = 16;
  /** This host's own commands: no-ops or waits on threads of their own, sharing the store's syncs (docs/defaults.md). */
  public static final int DEFAULT_HOST_PREFETCH = 256;

  private final Map<String, String> env;
  private final Predicate<String> interfaceExists;

  /**
   * @param interfaceExists whether a network interface of that name exists on this host; injectable so tests and
   *     remote Docker hosts ({@code DOCKER_HOST=tcp://...}) can decide differently
   */
  public EnvConfigLoader(Map<String, String> env, Predicate<String> interfaceExists) {
    this.env = Map.copyOf(env);
    this.interfaceExists = interfaceExists;
  }

  public static EnvConfigLoader fromSystem() {
    return new EnvConfigLoader(System.getenv(), name -> Files.isDirectory(Path.of("/sys/class/net", name)));
  }

  public WorkerConfig load() {
    checkLogLevel();
    String image = text(EnvNames.IMAGE, DEFAULT_IMAGE);
    List<String> allowed = optional(EnvNames.ALLOWED_IMAGES)
        .map(list -> Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList())
        .orElse(List.of(image));
    String dockerHost = text(EnvNames.DOCKER_HOST, DEFAULT_DOCKER_HOST);
    return new WorkerConfig(
        amqpUri(),
        amqpAddresses(),
        dockerHost,
        hostId(),
        network(dockerHost),
        image,
        allowed,
        integer(EnvNames.MAX_TRANSCODERS, 20),
        secretFile(EnvNames.WCS_PASSWORD_FILE),
        secretFile(EnvNames.WCS_LICENSE_FILE),
        new ContainerLimits(
            decimal(EnvNames.DEFAULT_CPUS, 1.0),
            integer(EnvNames.DEFAULT_MEMORY_MB, 2048),
            decimal(EnvNames.MAX_CPUS, 8.0),
            integer(EnvNames.MAX_MEMORY_MB, 16384),
            integer(EnvNames.PIDS_LIMIT, 4096),
            text(EnvNames.CONTAINER_LOG_MAX_SIZE, "10m"),
            integer(EnvNames.CONTAINER_LOG_MAX_FILES, 3)),
        new ReadinessConfig(
            // With a host shim the host reaches its transcoders: HTTP costs the daemon nothing, exec a process each.
            parse(EnvNames.READINESS_PROBE, optional(EnvNames.NETWORK_HOST_SHIM).isPresent() ? "http" : "exec", v -> ReadinessConfig.Mode.valueOf(v.toUpperCase(Locale.ROOT)),
                "must be exec, http or none"),
            integer(EnvNames.READINESS_PORT, 8081),
            text(EnvNames.READINESS_PATH, "/rest-api/"),
            Duration.ofSeconds(integer(EnvNames.READINESS_TIMEOUT_SECONDS, 120))),
        Duration.ofSeconds(integer(EnvNames.STOP_TIMEOUT_SECONDS, 10)),
        integer(EnvNames.CONCURRENCY, DEFAULT_CONCURRENCY),
        integer(EnvNames.PREFETCH, DEFAULT_PREFETCH),
        // This host's own commands (releases, room closes, restarts) are cheap or wait on threads of their own, and
        // many in hand share the intent store's syncs: docs/defaults.md has the sweep.
        integer(EnvNames.HOST_PREFETCH, DEFAULT_HOST_PREFETCH),
        integer(EnvNames.DELIVERY_LIMIT, io.berth.events.Contract.DELIVERY_LIMIT),
        new DockerRetryConfig(
            integer(EnvNames.DOCKER_RETRY_ATTEMPTS, 5),
            Duration.ofMillis(integer(EnvNames.DOCKER_RETRY_INITIAL_MS, 200)),
            Duration.ofMillis(integer(EnvNames.DOCKER_RETRY_MAX_MS, 5000))),
        Duration.ofSeconds(integer(EnvNames.SHUTDOWN_GRACE_SECONDS, 30)),
        optional(EnvNames.EXTRA_LABEL),
        new SupervisionConfig(
            Duration.ofMillis(integer(EnvNames.RESTART_INITIAL_BACKOFF_MS, 1000)),
            Duration.ofMillis(integer(EnvNames.RESTART_MAX_BACKOFF_MS, 60_000)),
            Duration.ofSeconds(integer(EnvNames.RESTART_STABLE_SECONDS, 300)),
            integer(EnvNames.RESTART_MAX, 5),
            Duration.ofSeconds(integer(EnvNames.RESTART_WINDOW_SECONDS, 600)),
            Duration.ofMillis(Math.round(decimal(EnvNames.RECONCILE_SECONDS, 30) * 1000)),
            Duration.ofMillis(Math.round(decimal(EnvNames.HEARTBEAT_SECONDS, 15) * 1000))),
        coordination(),
        new ObservabilityConfig(integer(EnvNames.HTTP_PORT, ObservabilityConfig.DEFAULT_HTTP_PORT), logFormat()));
  }

  /**
   * Checked as logback sees it, untrimmed: logback puts the raw value into an appender name, and a value it has no
   * appender for would silence the logs instead of failing.
   */
  private ObservabilityConfig.LogFormat logFormat() {
    String raw = env.get(EnvNames.LOG_FORMAT);
    if (raw == null) {
      return ObservabilityConfig.LogFormat.TEXT;
    }
    try {
      return ObservabilityConfig.LogFormat.parse(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(EnvNames.LOG_FORMAT, "must be text or json, got '" + raw + "'");
    }
  }

  /** Read by logback itself (logback.xml), which takes anything it does not know for DEBUG: checked here, untrimmed. */
  private void checkLogLevel() {
    String raw = env.get(EnvNames.LOG_LEVEL);
    if (raw != null && !raw.matches("(?i)TRACE|DEBUG|INFO|WARN|ERROR|OFF")) {
      throw new ConfigException(EnvNames.LOG_LEVEL,
          "must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, got '" + raw + "'");
    }
  }

  private CoordinationConfig coordination() {
    List<URI> endpoints = new java.util.ArrayList<>();
    for (String raw : optional(EnvNames.ETCD_ENDPOINTS).map(v -> v.split(",")).orElse(new String[0])) {
      String url = raw.trim();
      if (url.isEmpty()) {
        continue;
      }
      try {
        URI uri = new URI(url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null
            || uri.getPort() < 0) {
          throw new ConfigException(EnvNames.ETCD_ENDPOINTS, "each endpoint must be http(s)://host:port, got '"
              + withoutUserInfo(url) + "'");
        }
        endpoints.add(uri);
      } catch (java.net.URISyntaxException e) {
        throw new ConfigException(EnvNames.ETCD_ENDPOINTS, "each endpoint must be http(s)://host:port, got '"
            + withoutUserInfo(url) + "'");
      }
    }
    return new CoordinationConfig(
        Path.of(text(EnvNames.STATE_DIR, DEFAULT_STATE_DIR)),
        endpoints,
        text(EnvNames.ETCD_PREFIX, DEFAULT_ETCD_PREFIX),
        Duration.ofMillis(Math.round(decimal(EnvNames.FAILOVER_SECONDS, 10) * 1000)));
  }

  private Secret amqpUri() {
    String uri = text(EnvNames.AMQP_URI, DEFAULT_AMQP_URI);
    try {
      URI parsed = new URI(uri);
      if (!"amqp".equals(parsed.getScheme()) && !"amqps".equals(parsed.getScheme())) {
        throw new ConfigException(EnvNames.AMQP_URI, "must start with amqp:// or amqps://");
      }
    } catch (java.net.URISyntaxException e) {
      // the URI may hold a password: never echo it
      throw new ConfigException(EnvNames.AMQP_URI, "is not a valid URI");
    }
    return Secret.of(uri);
  }

  /** {@code host:port,host:port}: the nodes of a cluster. Port defaults to the URI scheme's (5672, or 5671 for amqps). */
  private List<String> amqpAddresses() {
    try {
      return io.berth.worker.messaging.BrokerEndpoint.parseNodes(text(EnvNames.AMQP_ADDRESSES, ""));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(EnvNames.AMQP_ADDRESSES, e.getMessage());
    }
  }

  private String hostId() {
    String fallback = optional("HOSTNAME").map(h -> h.toLowerCase(Locale.ROOT)).orElse("");
    String hostId = text(EnvNames.HOST_ID, fallback);
    if (hostId.isEmpty()) {
      throw new ConfigException(EnvNames.HOST_ID, "is not set and HOSTNAME is empty; give each worker a host id");
    }
    return hostId;
  }

  private NetworkConfig network(String dockerHost) {
    NetworkDriver driver = parse(EnvNames.NETWORK_DRIVER, "ipvlan", NetworkDriver::parse, "must be ipvlan or macvlan");
    String parent = required(EnvNames.NETWORK_PARENT);
    // Only a local engine shares our interfaces; a remote DOCKER_HOST has its own.
    if (dockerHost.startsWith("unix://") && !interfaceExists.test(parent)) {
      throw new ConfigException(EnvNames.NETWORK_PARENT, "no network interface named '" + parent + "' on this host");
    }
    Ipv4Cidr subnet = parse(EnvNames.NETWORK_SUBNET, null, Ipv4Cidr::parse, null);
    String mode = driver == NetworkDriver.IPVLAN ? text(EnvNames.IPVLAN_MODE, "l2") : text(EnvNames.MACVLAN_MODE, "bridge");
    return new NetworkConfig(
        text(EnvNames.NETWORK_NAME, DEFAULT_NETWORK_NAME),
        driver,
        parent,
        subnet,
        parse(EnvNames.NETWORK_GATEWAY, null, Ipv4::parse, null),
        parse(EnvNames.NETWORK_IP_RANGE, null, Ipv4Cidr::parse, null),
        mode,
        optional(EnvNames.NETWORK_HOST_SHIM).map(v -> parse(EnvNames.NETWORK_HOST_SHIM, null, Ipv4::parse, null)));
  }

  private Optional<Secret> secretFile(String variable) {
    Optional<String> path = optional(variable);
    if (path.isEmpty()) {
      return Optional.empty();
    }
    Path file = Path.of(path.get());
    try {
      String value = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (value.isEmpty()) {
        throw new ConfigException(variable, "file " + file + " is empty");
      }
      return Optional.of(Secret.of(value));
    } catch (IOException e) {
      throw new ConfigException(variable, "cannot read file " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private Optional<String> optional(String variable) {
    return Optional.ofNullable(env.get(variable)).map(String::trim).filter(v -> !v.isEmpty());
  }

  private String text(String variable, String fallback) {
    return optional(variable).orElse(fallback);
  }

  private String required(String variable) {
    return optional(variable).orElseThrow(() -> new ConfigException(variable, "is required"));
  }

  private int integer(String variable, int fallback) {
    return parse(variable, Integer.toString(fallback), Integer::parseInt, "must be a whole number");
  }

  private double decimal(String variable, double fallback) {
    return parse(variable, Double.toString(fallback), Double::parseDouble, "must be a number");
  }

  /** Parses a variable; a null fallback makes it required. Parse errors keep the parser's message unless one is given. */
  private <T> T parse(String variable, String fallback, Function<String, T> parser, String problem) {
    String raw = fallback == null ? required(variable) : text(variable, fallback);
    try {
      return parser.apply(raw);
    } catch (ConfigException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ConfigException(variable, problem != null ? problem + ", got '" + raw + "'" : e.getMessage());
    }
  }

  /** An endpoint as it may be echoed: credentials in it ({@code user:pass@}) are never printed. */
  private static String withoutUserInfo(String url) {
    return url.replaceAll("(?<=//)[^/@]*@", "***@");
  }
}
