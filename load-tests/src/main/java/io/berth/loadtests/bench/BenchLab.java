package io.berth.loadtests.bench;

import com.github.dockerjava.api.model.Container;
import io.berth.worker.it.TestDocker;
import io.berth.worker.it.TestLan;
import io.berth.worker.it.WorkerHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The benchmark's surroundings, made of the test fixtures the worker's ITs and the chaos runner use: a LAN of its own
 * ({@link TestLan}: a veth parent, a network namespace as LAN client) on 203.0.113.0/24 (gateway .1, LAN client .254, host shim .253), a Docker network name, and a
 * stand-in image that ignores SIGTERM (a hung media server). Everything it or the benchmark creates carries
 * {@code io.berth.test=true} plus {@code io.berth.bench=true} and is removed by {@link #close}, also after a failure;
 * leftovers of a killed run are removed at the next start (and by scripts/cleanup-test-leftovers.sh).
 */
public final class BenchLab implements AutoCloseable {
  public static final String SUBNET_PREFIX = "203.0.113";
  public static final String BENCH_LABEL = "io.berth.bench";
  /** FROM the stand-in with a stop signal it does not handle: PID 1 ignores it, docker stop ends in SIGKILL. */
  public static final String STUBBORN_IMAGE = "berth/wcs-standin:bench-stubborn";
  /** Berth's range is the whole /24: the worker never hands out the gateway (.1) or the host shim. */
  public static final String RANGE_SUFFIX = ".0/24";
  /** The host shim's address (the worker's own interface on the LAN, for HTTP readiness); .254 is the LAN client. */
  public static final int SHIM_OCTET = 253;
  /** The baselines' first address; Berth, lowest-first, also starts here (.0 network, .1 gateway). */
  public static final int FIRST_OCTET = 2;
  /**
   * Transcoders this lab holds at most. Berth may hold one more (BERTH_MAX_TRANSCODERS = CAPACITY + 1): lowest-first,
   * 251 slots take .2-.252, so neither the shim (.253, never handed out) nor the LAN client (.254) is reached;
   * {@link #strays} checks that no container got either.
   */
  public static final int CAPACITY = 250;

  /** How the worker learns that a new transcoder is ready. */
  public enum Readiness {
    /** BERTH_NETWORK_HOST_SHIM set: HTTP from the worker's own macvlan interface (the worker's default with a shim). */
    shim,
    /** No shim: the worker's exec probe (a process in the container per poll). */
    exec
  }

  private final TestLan lan;
  private final String network;

  public BenchLab() throws Exception {
    removeLeftovers();
    network = "berth-test-bench-" + UUID.randomUUID().toString().substring(0, 6);
    lan = new TestLan(SUBNET_PREFIX);
    buildStubbornImage();
  }

  /** A killed run's containers, networks and image; the subnet would otherwise clash with this run's network. */
  public static void removeLeftovers() {
    TestDocker.client().listContainersCmd().withShowAll(true).withLabelFilter(Map.of(BENCH_LABEL, "true")).exec()
        .forEach(c -> TestDocker.removeContainer(c.getId()));
    TestDocker.client().listNetworksCmd().exec().stream().map(n -> n.getName())
        .filter(name -> name.startsWith("berth-test-bench-")).forEach(TestDocker::removeNetworkAndContainers);
  }

  private static void buildStubbornImage() throws Exception {
    Path dir = Files.createTempDirectory("berth-bench-stubborn");
    try {
      Files.writeString(dir.resolve("Dockerfile"), "FROM " + TestDocker.STANDIN_IMAGE + "\nSTOPSIGNAL SIGUSR2\n"
          + "LABEL " + BENCH_LABEL + "=true\n");
      TestDocker.client().buildImageCmd(dir.toFile()).withTags(Set.of(STUBBORN_IMAGE)).start().awaitImageId();
    } finally {
      Files.deleteIfExists(dir.resolve("Dockerfile"));
      Files.deleteIfExists(dir);
    }
  }

  public TestLan lan() {
    return lan;
  }

  public String network() {
    return network;
  }

  /** The address of the i-th transcoder of a baseline: the same range Berth uses, while Berth holds none. */
  public String address(int i) {
    if (i >= CAPACITY) {
      throw new IllegalArgumentException("the lab holds " + CAPACITY + " addresses");
    }
    return lan.address(FIRST_OCTET + i);
  }

  public String shimAddress() {
    return lan.address(SHIM_OCTET);
  }

  /** Containers on the lab's network holding the shim's or the LAN client's address: none, or the run is wrong. */
  public List<String> strays() {
    List<String> reserved = List.of(shimAddress(), lan.lanClientAddress());
    return containers().stream().filter(c -> c.getNetworkSettings() != null && c.getNetworkSettings().getNetworks()
            .values().stream().anyMatch(n -> reserved.contains(n.getIpAddress())))
        .map(c -> String.join(",", c.getNames())).toList();
  }

  /** Labels of every container the baselines create. */
  public Map<String, String> labels(String kind) {
    return Map.of(TestDocker.TEST_LABEL, "true", BENCH_LABEL, "true", "io.berth.bench.kind", kind,
        "io.berth.network", network);
  }

  /**
   * The worker's environment: the test defaults ({@link WorkerHarness#env}: BERTH_CONCURRENCY and BERTH_PREFETCH at
   * their defaults, 0.25 CPU / 64 MB per container, 3 s stop timeout) on this lab's whole /24, with the host shim
   * (readiness by HTTP, the worker's default then) or without it (readiness by exec).
   */
  public Map<String, String> workerEnv(String hostId, int httpPort, Readiness readiness) throws Exception {
    Map<String, String> env = WorkerHarness.env(lan, network, hostId);
    env.put("BERTH_NETWORK_IP_RANGE", SUBNET_PREFIX + RANGE_SUFFIX);
    if (readiness == Readiness.shim) {
      env.put("BERTH_NETWORK_HOST_SHIM", shimAddress());
    }
    // One slot more than the lab holds: a full host stops consuming berth.requests, so duplicates of what it holds
    // would wait for a free slot; the requests queue's prefetch is min(BERTH_PREFETCH, free slots), so duplicates are
    // measured while the host holds fewer (docs/BENCHMARKS.md says how many and the prefetch in effect).
    env.put("BERTH_MAX_TRANSCODERS", Integer.toString(CAPACITY + 1));
    env.put("BERTH_ALLOWED_IMAGES", TestDocker.STANDIN_IMAGE + "," + STUBBORN_IMAGE);
    env.put("BERTH_HTTP_PORT", Integer.toString(httpPort));
    return env;
  }

  /** Containers on this lab's network, whatever made them. */
  public List<Container> containers() {
    return TestDocker.containersLabelled("io.berth.network", network);
  }

  /** Waits until nothing is left on the network (a removal may follow its event), at most 60 s. */
  public void awaitEmpty() {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!containers().isEmpty() && System.nanoTime() < deadline) {
      BerthDriver.sleep(100);
    }
    containers().forEach(c -> TestDocker.removeContainer(c.getId()));
  }

  @Override
  public void close() {
    removeLeftovers();
    TestDocker.removeNetworkAndContainers(network);
    lan.close();
    try {
      TestDocker.client().removeImageCmd(STUBBORN_IMAGE).withForce(true).exec();
    } catch (RuntimeException ignored) {
      // never built
    }
  }
}
