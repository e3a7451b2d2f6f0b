package io.berth.worker.it;

import com.rabbitmq.client.Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A 3-node RabbitMQ cluster on this machine, made and removed by {@code scripts/rabbit-cluster.sh}: nodes
 * {@code berth-c1..3@localhost} on AMQP ports {@value #FIRST_PORT}..5683 of 127.0.0.1, next to (and apart from) the
 * machine's own broker on 5672. One cluster per machine: {@link #up()} removes whatever an earlier run left, and
 * {@code scripts/cleanup-test-leftovers.sh} takes a leftover one down. Needs root (or the script's user) and
 * rabbitmq-server installed (setup-infra.sh); no Docker.
 *
 * <pre>
 * try (TestRabbitCluster cluster = TestRabbitCluster.up()) {
 *   env.put("BERTH_AMQP_URI", cluster.amqpUri());
 *   env.put("BERTH_AMQP_ADDRESSES", cluster.addresses());
 *   ...
 *   cluster.kill(2);   // SIGKILL of node 2's VM
 *   cluster.start(2);  // back, and running in the cluster again
 * }
 * </pre>
 */
public final class TestRabbitCluster implements AutoCloseable {
  public static final int NODES = 3;
  public static final int FIRST_PORT = 5681;
  public static final String HOST = "127.0.0.1";
  public static final String USER = "berth";
  /** Three nodes booted and joined one after the other: about 20-25 s, more on a loaded machine. */
  private static final Duration UP_TIMEOUT = Duration.ofMinutes(4);
  /** The script waits up to 90 s for a node to boot and rejoin. */
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);

  private final Path script;
  private final Thread downOnExit;

  private TestRabbitCluster(Path script) {
    this.script = script;
    // a test run cut short (Ctrl-C, a killed fork) still takes the cluster down
    this.downOnExit = new Thread(() -> down(script), "rabbit-cluster-down");
    Runtime.getRuntime().addShutdownHook(downOnExit);
  }

  /** {@code rabbit-cluster.sh up}: three running nodes and the user berth; on failure the half-made cluster goes. */
  public static TestRabbitCluster up() {
    Path script = locateScript();
    Shell.Result up = Shell.run(UP_TIMEOUT, List.of("bash", script.toString(), "up"));
    if (!up.ok()) {
      down(script);
      throw new IllegalStateException("rabbit-cluster.sh up failed (" + up.exitCode() + "):\n" + up.output());
    }
    return new TestRabbitCluster(script);
  }

  /** {@code -Dberth.rabbit-cluster.script=...}, else {@code scripts/rabbit-cluster.sh} here or in the nearest parent. */
  private static Path locateScript() {
    String configured = System.getProperty("berth.rabbit-cluster.script");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("scripts").resolve("rabbit-cluster.sh");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("scripts/rabbit-cluster.sh not found above " + Path.of("").toAbsolutePath()
        + " (set -Dberth.rabbit-cluster.script)");
  }

  /** {@code -Dberth.rabbit-cluster.keep=true} leaves the cluster and its logs for a look after a failed run. */
  private static void down(Path script) {
    if (Boolean.getBoolean("berth.rabbit-cluster.keep")) {
      return;
    }
    Shell.run(SCRIPT_TIMEOUT, List.of("bash", script.toString(), "down"));
  }

  private String script(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    return Shell.must(timeout, command);
  }

  private static void check(int node) {
    if (node < 1 || node > NODES) {
      throw new IllegalArgumentException("node must be 1.." + NODES + ", got " + node);
    }
  }

  /** SIGKILL of node {@code node}'s Erlang VM (1-based); returns once the process is gone. */
  public void kill(int node) {
    check(node);
    script(SCRIPT_TIMEOUT, "kill", String.valueOf(node));
  }

  /** Starts node {@code node} again on its data; returns once the cluster shows it running. */
  public void start(int node) {
    check(node);
    script(START_TIMEOUT, "start", String.valueOf(node));
  }

  /** {@code "127.0.0.1:5681,127.0.0.1:5682,127.0.0.1:5683"}, as {@code BERTH_AMQP_ADDRESSES} takes it. */
  public String addresses() {
    return IntStream.rangeClosed(1, NODES).mapToObj(n -> HOST + ":" + port(n)).collect(Collectors.joining(","));
  }

  /** The nodes' addresses for {@code ConnectionFactory.newConnection(List<Address>)}. */
  public List<Address> addressList() {
    return IntStream.rangeClosed(1, NODES).mapToObj(n -> new Address(HOST, port(n))).toList();
  }

  /** Node 1, user berth (not loopback-only like guest), vhost {@code /}. */
  public String amqpUri() {
    return "amqp://" + USER + ":" + USER + "@" + HOST + ":" + port(1) + "/%2F";
  }

  /** The AMQP port of node {@code node}. */
  public int port(int node) {
    check(node);
    return FIRST_PORT + node - 1;
  }

  /** The node listening on AMQP port {@code port} (e.g. a connection's {@code getPort()}). */
  public int nodeOfPort(int port) {
    int node = port - FIRST_PORT + 1;
    check(node);
    return node;
  }

  public static String nodeName(int node) {
    check(node);
    return "berth-c" + node + "@localhost";
  }

  /** The cluster's running nodes as the first node that answers sees them (empty if none does). */
  public List<String> runningNodes() {
    Shell.Result status = Shell.run(SCRIPT_TIMEOUT, List.of("bash", script.toString(), "status"));
    for (String line : status.output().split("\n")) {
      if (line.startsWith("running_nodes=")) {
        String value = line.substring("running_nodes=".length()).trim();
        return value.isEmpty() ? List.of() : List.of(value.split(","));
      }
    }
    return List.of();
  }

  /** {@code rabbitmqctl -n berth-c<node>@localhost args...} with the cluster's cookie; its output. */
  public String ctl(int node, String... args) {
    check(node);
    List<String> command = new ArrayList<>(List.of("ctl", String.valueOf(node)));
    command.addAll(List.of(args));
    return script(SCRIPT_TIMEOUT, command.toArray(String[]::new));
  }

  /** {@code rabbit-cluster.sh down}: every node killed, its data deleted. */
  @Override
  public void close() {
    down(script);
    try {
      Runtime.getRuntime().removeShutdownHook(downOnExit);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook runs anyway; down is idempotent
    }
  }
}
