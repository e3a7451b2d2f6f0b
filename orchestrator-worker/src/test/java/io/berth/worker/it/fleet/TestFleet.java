package io.berth.worker.it.fleet;

import io.berth.worker.it.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real fleet on this machine, made and removed by {@code scripts/fleet.sh}: {@code hosts} Docker hosts (a network
 * namespace and a dockerd each) on one LAN bridge, an etcd server and the machine's RabbitMQ reachable from the LAN at
 * {@value #GATEWAY}, and a LAN client at {@value #LAN_CLIENT_ADDRESS}. The tag is random, so leftovers of one run never
 * meet the next; {@code scripts/cleanup-test-leftovers.sh} removes any. One fleet at a time per machine (the root
 * namespace holds {@value #GATEWAY}). Needs root and the stand-in image in the main engine (setup-infra.sh).
 *
 * <pre>
 * try (TestFleet fleet = TestFleet.start(3)) {
 *   FleetHost h2 = fleet.host(2);
 *   h2.startProcess(List.of("java", "-jar", jar, "worker"),
 *       Map.of("DOCKER_HOST", h2.dockerHost(), "BERTH_AMQP_URI", fleet.amqpUri("/"), ...), log);
 *   h2.cutLink();
 * }
 * </pre>
 */
public final class TestFleet implements AutoCloseable {
  public static final String SUBNET = "203.0.113.0/24";
  public static final String GATEWAY = "203.0.113.1";
  public static final String LAN_CLIENT_ADDRESS = "203.0.113.254";
  /** The first run on a machine may apt-get install etcd. */
  private static final Duration UP_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

  private final Path script;
  private final String tag;
  private final Map<String, String> env;
  private final List<FleetHost> hosts;
  private final Thread downOnExit;

  private TestFleet(Path script, String tag, Map<String, String> env) {
    this.script = script;
    this.tag = tag;
    this.env = env;
    int n = Integer.parseInt(value("FLEET_HOSTS"));
    List<FleetHost> list = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      list.add(new FleetHost(this, i, env));
    }
    this.hosts = Collections.unmodifiableList(list);
    // a test run cut short (Ctrl-C, a killed fork) still takes its fleet down
    this.downOnExit = new Thread(() -> down(script, tag), "fleet-" + tag + "-down");
    Runtime.getRuntime().addShutdownHook(downOnExit);
  }

  /** {@code fleet.sh up hosts <random tag>}; on failure whatever was made is removed and the output thrown. */
  public static TestFleet start(int hosts) {
    Path script = locateScript();
    String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
    Shell.Result up = Shell.run(UP_TIMEOUT, List.of("bash", script.toString(), "up", String.valueOf(hosts), tag));
    if (!up.ok()) {
      down(script, tag);
      throw new IllegalStateException("fleet.sh up " + hosts + " " + tag + " failed (" + up.exitCode() + "):\n"
          + up.output());
    }
    try {
      return new TestFleet(script, tag, readEnv(Path.of("/run/berth-fleet", tag, "fleet.env")));
    } catch (RuntimeException e) {
      down(script, tag);
      throw e;
    }
  }

  /** {@code -Dberth.fleet.script=...}, else {@code scripts/fleet.sh} in this directory or the nearest parent. */
  private static Path locateScript() {
    String configured = System.getProperty("berth.fleet.script");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("scripts").resolve("fleet.sh");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("scripts/fleet.sh not found above " + Path.of("").toAbsolutePath()
        + " (set -Dberth.fleet.script)");
  }

  private static Map<String, String> readEnv(Path file) {
    try {
      Map<String, String> values = new LinkedHashMap<>();
      for (String line : Files.readAllLines(file)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          values.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String value(String key) {
    String v = env.get(key);
    if (v == null) {
      throw new IllegalStateException("fleet.env has no " + key);
    }
    return v;
  }

  String script(String... args) {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    return Shell.must(SCRIPT_TIMEOUT, command);
  }

  private static void down(Path script, String tag) {
    Shell.run(SCRIPT_TIMEOUT, List.of("bash", script.toString(), "down", tag));
  }

  /** The random tag in every name of this fleet: bridge {@code bf<tag>}, namespaces {@code berth-fleet-<tag>-*}. */
  public String tag() {
    return tag;
  }

  /** The LAN bridge in the root namespace. */
  public String bridge() {
    return value("FLEET_BRIDGE");
  }

  public List<FleetHost> hosts() {
    return hosts;
  }

  /** 1-based. */
  public FleetHost host(int i) {
    if (i < 1 || i > hosts.size()) {
      throw new IllegalArgumentException("hosts are 1.." + hosts.size() + ", not " + i);
    }
    return hosts.get(i - 1);
  }

  /** {@code http://203.0.113.1:<port>}: etcd as the hosts reach it over the LAN (the root namespace reaches it too). */
  public String etcdEndpoints() {
    return value("FLEET_ETCD_ENDPOINTS");
  }

  /** {@code http://127.0.0.1:<port>}: the same etcd, not through the LAN. */
  public String etcdLocalEndpoints() {
    return value("FLEET_ETCD_LOCAL_ENDPOINTS");
  }

  /**
   * The machine's RabbitMQ as the hosts reach it over the LAN: {@code amqp://guest:guest@203.0.113.1:5672/<vhost>}
   * (a forward to 127.0.0.1:5672 that keeps the peer local, so guest may log in).
   */
  public String amqpUri(String vhost) {
    return "amqp://guest:guest@" + value("FLEET_AMQP_ADDRESS") + "/"
        + URLEncoder.encode(vhost, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The LAN client's namespace path, for commands of your own ({@code nsenter --net=...}). */
  public String lanClientNamespacePath() {
    return "/run/netns/" + value("FLEET_LAN_CLIENT_NETNS");
  }

  /** GET from the LAN client, as another machine on the LAN would; empty when nothing answers within 3 s. */
  public Optional<String> lanClientGet(String ip, int port, String path) {
    // coreutils timeout, not wget -T: Debian's static busybox wget crashes with -T
    Shell.Result r = Shell.run(Duration.ofSeconds(10), List.of("timeout", "3", "nsenter",
        "--net=" + lanClientNamespacePath(), "--", "busybox", "wget", "-q", "-O", "-",
        "http://" + ip + ":" + port + path));
    return r.ok() ? Optional.of(r.output()) : Optional.empty();
  }

  /** SIGTERM to etcd; {@link #startEtcd} brings it back with its data (same data dir and port). */
  public void stopEtcd() {
    script("etcd-stop", tag);
  }

  /** Returns once etcd answers again. */
  public void startEtcd() {
    script("etcd-start", tag);
  }

  /** {@code fleet.sh status}: links, engines, etcd, forward, for a failure message. */
  public String status() {
    return Shell.run(SCRIPT_TIMEOUT, List.of("bash", script.toString(), "status", tag)).output();
  }

  /** Stops the processes started on the hosts, then {@code fleet.sh down}: nothing of the fleet remains. */
  @Override
  public void close() {
    hosts.forEach(FleetHost::close);
    script("down", tag);
    try {
      Runtime.getRuntime().removeShutdownHook(downOnExit);
    } catch (IllegalStateException alreadyExiting) {
      // the hook runs anyway; down is idempotent
    }
  }
}
