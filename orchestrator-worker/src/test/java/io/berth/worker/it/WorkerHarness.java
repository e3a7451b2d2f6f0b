package io.berth.worker.it;

import io.berth.worker.Worker;
import io.berth.worker.config.EnvConfigLoader;
import io.berth.worker.config.WorkerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a real worker in this JVM against the real broker and dockerd, configured through the same environment
 * variables an operator sets. Every container it creates carries the test label.
 */
public final class WorkerHarness implements AutoCloseable {
  public static final String TEST_PASSWORD = "pw-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
  public static final String TEST_LICENSE = "lic-" + Long.toHexString(Double.doubleToLongBits(Math.random()));

  /** Removed by scripts/cleanup-test-leftovers.sh. */
  public static final Path STATE_ROOT = Path.of(System.getProperty("java.io.tmpdir"), "berth-test-state");

  private final Worker worker;
  private final RecordingGateway recorder;

  private WorkerHarness(Worker worker, RecordingGateway recorder) {
    this.worker = worker;
    this.recorder = recorder;
  }

  /** Environment for a macvlan worker on the given LAN; tests adjust it before {@link #start}. */
  public static Map<String, String> env(TestLan lan, String networkName, String hostId) throws Exception {
    Path secrets = Files.createTempDirectory("berth-test-secrets");
    Path password = Files.writeString(secrets.resolve("password"), TEST_PASSWORD);
    Path license = Files.writeString(secrets.resolve("license"), TEST_LICENSE);
    password.toFile().deleteOnExit();
    license.toFile().deleteOnExit();
    secrets.toFile().deleteOnExit();
    Map<String, String> env = new HashMap<>();
    env.put("BERTH_AMQP_URI", TestBroker.amqpUri());
    env.put("DOCKER_HOST", TestDocker.dockerHost());
    env.put("BERTH_HOST_ID", hostId);
    env.put("BERTH_NETWORK_NAME", networkName);
    env.put("BERTH_NETWORK_DRIVER", "macvlan");
    env.put("BERTH_NETWORK_PARENT", lan.parent());
    env.put("BERTH_NETWORK_SUBNET", lan.subnet());
    env.put("BERTH_NETWORK_GATEWAY", lan.gateway());
    env.put("BERTH_NETWORK_IP_RANGE", lan.address(32) + "/27");
    env.put("BERTH_IMAGE", TestDocker.STANDIN_IMAGE);
    env.put("BERTH_WCS_PASSWORD_FILE", password.toString());
    env.put("BERTH_WCS_LICENSE_FILE", license.toString());
    env.put("BERTH_DEFAULT_CPUS", "0.25");
    env.put("BERTH_DEFAULT_MEMORY_MB", "64");
    env.put("BERTH_STOP_TIMEOUT_SECONDS", "3");
    env.put("BERTH_READINESS_TIMEOUT_SECONDS", "30");
    env.put("BERTH_SHUTDOWN_GRACE_SECONDS", "10");
    env.put("BERTH_EXTRA_LABEL", TestDocker.TEST_LABEL + "=true");
    // No HTTP port: several workers share this JVM (and the machine); a test that wants one sets a free port.
    env.put("BERTH_HTTP_PORT", "0");
    // The host's durable intents: one directory per environment, so a restarted worker (same env) finds them again.
    Files.createDirectories(STATE_ROOT);
    env.put("BERTH_STATE_DIR", Files.createTempDirectory(STATE_ROOT, hostId + "-").toString());
    return env;
  }

  public static WorkerHarness start(Map<String, String> env) throws Exception {
    WorkerConfig config = new EnvConfigLoader(env, name -> Files.isDirectory(Path.of("/sys/class/net", name))).load();
    RecordingGateway[] recorder = new RecordingGateway[1];
    Worker worker = Worker.start(config, gateway -> recorder[0] = new RecordingGateway(gateway));
    return new WorkerHarness(worker, recorder[0]);
  }

  public RecordingGateway docker() {
    return recorder;
  }

  /** Command deliveries the worker has finished with, whatever their outcome. */
  public long commandsHandled() {
    return Math.round(worker.meters().find("berth.commands").counters().stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count).sum());
  }

  public Worker worker() {
    return worker;
  }

  @Override
  public void close() {
    worker.close();
  }

  static Map<String, String> copy(Map<String, String> env) {
    return new HashMap<>(env);
  }
}
