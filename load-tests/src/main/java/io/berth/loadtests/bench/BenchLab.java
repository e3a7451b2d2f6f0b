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
 * ({@link TestLan}: a veth parent, a network namespace as LAN client) on 203.0.113.0/24, a Docker network name, and a
 * stand-in image that ignores SIGTERM (a hung media server). Everything it or the benchmark creates carries
 * {@code io.berth.test=true} plus {@code io.berth.bench=true} and is removed by {@link #close}, also after a failure;
 * leftovers of a killed run are removed at the next start (and by scripts/cleanup-test-leftovers.sh).
 */
public final class BenchLab implements AutoCloseable {
  public static final String SUBNET_PREFIX = "203.0.113";
  public static final String BENCH_LABEL = "io.berth.bench";
  /** FROM the stand-in with a stop signal it does not handle: PID 1 ignores it, docker stop ends in SIGKILL. */
  public static final String STUBBORN_IMAGE = "berth/wcs-standin:bench-stubborn";
  /** First address of the range: a /25 is the largest range a /24 allows (NetworkConfig refuses one holding the gateway). */
  public static final int RANGE_START = 128;
  /**
   * Transcoders this lab holds at most: .128-.254 assignable (.255 is the broadcast address), less .254 (the LAN
   * client) and one spare.
   */
  public static final int CAPACITY = 125;

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
    return lan.address(RANGE_START + i);
  }

  /** Labels of every container the baselines create. */
  public Map<String, String> labels(String kind) {
    return Map.of(TestDocker.TEST_LABEL, "true", BENCH_LABEL, "true", "io.berth.bench.kind", kind,
        "io.berth.network", network);
  }

  /**
   * The worker's environment: the test defaults ({@link WorkerHarness#env}: exec readiness, BERTH_CONCURRENCY and
   * BERTH_PREFETCH at their defaults, 0.25 CPU / 64 MB per container, 3 s stop timeout) on this lab's /25.
   */
  public Map<String, String> workerEnv(String hostId, int httpPort) throws Exception {
    Map<String, String> env = WorkerHarness.env(lan, network, hostId);
    env.put("BERTH_NETWORK_IP_RANGE", lan.address(RANGE_START) + "/25");
    // One slot more than the lab holds: a full host stops consuming berth.requests, so duplicates of what it holds
    // would wait for a free slot (reported in docs/BENCHMARKS.md); the range keeps the spare address unused.
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
