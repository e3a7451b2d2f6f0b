package io.berth.worker.it.fleet;

import io.berth.worker.it.TestDocker;
import io.berth.worker.it.WorkerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The packaged worker run inside a fleet host's namespace, configured as an operator of that host would. */
final class FleetWorkers {
  static final String NETWORK = "berth-fleet-lan";

  private FleetWorkers() {}

  /** A directory for the workers' secrets, state and logs (removed by scripts/cleanup-test-leftovers.sh). */
  static Path workDir() throws IOException {
    Path dir = Files.createTempDirectory("berth-fleet-it-");
    Files.writeString(dir.resolve("password"), "fleet-password");
    Files.writeString(dir.resolve("license"), "fleet-license");
    return dir;
  }

  static String hostId(FleetHost host) {
    return "fleet-" + host.name();
  }

  /** Single-host settings for this host; fleet tests add the etcd ones. The range is the same on every host. */
  static Map<String, String> env(TestFleet fleet, FleetHost host, String vhost, Path workDir) {
    Map<String, String> env = new HashMap<>();
    env.put("BERTH_AMQP_URI", fleet.amqpUri(vhost));
    env.put("DOCKER_HOST", host.dockerHost());
    env.put("BERTH_HOST_ID", hostId(host));
    env.put("BERTH_NETWORK_NAME", NETWORK);
    env.put("BERTH_NETWORK_DRIVER", "macvlan");
    env.put("BERTH_NETWORK_PARENT", host.parentInterface());
    env.put("BERTH_NETWORK_SUBNET", TestFleet.SUBNET);
    env.put("BERTH_NETWORK_GATEWAY", TestFleet.GATEWAY);
    env.put("BERTH_NETWORK_IP_RANGE", "203.0.113.64/27");
    env.put("BERTH_IMAGE", TestDocker.STANDIN_IMAGE);
    env.put("BERTH_WCS_PASSWORD_FILE", workDir.resolve("password").toString());
    env.put("BERTH_WCS_LICENSE_FILE", workDir.resolve("license").toString());
    env.put("BERTH_DEFAULT_CPUS", "0.1");
    env.put("BERTH_DEFAULT_MEMORY_MB", "64");
    env.put("BERTH_STOP_TIMEOUT_SECONDS", "1");
    env.put("BERTH_READINESS_TIMEOUT_SECONDS", "30");
    env.put("BERTH_HEARTBEAT_SECONDS", "1");
    env.put("BERTH_RECONCILE_SECONDS", "2");
    env.put("BERTH_EXTRA_LABEL", TestDocker.TEST_LABEL + "=true");
    env.put("BERTH_HTTP_PORT", "0"); // no HTTP port: a twin may share a namespace
    env.put("BERTH_STATE_DIR", workDir.resolve("state-" + host.name()).toString());
    return env;
  }

  static Process start(FleetHost host, Map<String, String> env, Path workDir) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return host.startProcess(List.of(java, "-Xmx256m", "-jar", WorkerProcess.JAR.toAbsolutePath().toString(),
        "worker"), env, log(host, workDir));
  }

  static Path log(FleetHost host, Path workDir) {
    return workDir.resolve("worker-" + host.name() + ".log");
  }
}
