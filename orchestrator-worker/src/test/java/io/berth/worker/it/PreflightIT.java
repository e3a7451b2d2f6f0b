package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.Network;
import com.rabbitmq.client.Channel;
import io.berth.worker.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code berth preflight} on the test LAN, against the real dockerd, kernel and broker: all OK as the ITs configure a
 * worker, and each thing people get wrong fails with its fix and exit 1.
 */
class PreflightIT extends WorkerItSupport {

  private Map<String, String> env() throws Exception {
    Map<String, String> env = WorkerHarness.env(lan, network, hostId());
    for (String secret : List.of("BERTH_WCS_PASSWORD_FILE", "BERTH_WCS_LICENSE_FILE")) {
      Files.setPosixFilePermissions(Path.of(env.get(secret)), PosixFilePermissions.fromString("r--------"));
    }
    return env;
  }

  @Test
  void everythingIsOkOnTheTestLan() throws Exception {
    Cli.Result r = Cli.preflight(env());

    assertThat(r.exitCode()).as(r.out()).isZero();
    for (String check : List.of("config", "docker", "parent", "kernel", "range", "network", "overlap", "image",
        "secrets", "state-dir", "broker", "topology")) {
      assertThat(r.line("OK", check)).isNotEmpty();
    }
    // read with rabbitmqctl when the broker is this machine's (CI); a Testcontainers broker can only be warned about
    assertThat(r.out()).containsPattern("(OK|WARN) +consumer-timeout ");
    assertThat(r.out()).doesNotContain("FAIL");
    assertThat(Shell.must("ip", "-br", "link")).as("the probe link is gone").doesNotContain("bprobe");
  }

  @Test
  void aMissingParentInterfaceFailsWithTheFix() throws Exception {
    Map<String, String> env = env();
    env.put("BERTH_NETWORK_PARENT", "btnone0");

    Cli.Result r = Cli.preflight(env);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.line("FAIL", "parent")).contains("no interface named 'btnone0' on this host")
        .contains(lan.parent()).contains("Fix: set BERTH_NETWORK_PARENT to the interface on the LAN");
    assertThat(r.line("SKIP", "kernel")).contains("needs the parent interface btnone0");
  }

  @Test
  void aRangeOverlappingAnotherDockerNetworkFailsWithTheFix() throws Exception {
    Map<String, String> env = env();
    String other = "berth-test-overlap-" + UUID.randomUUID().toString().substring(0, 8);
    // an internal bridge inside the worker's range (.32/27): Docker would refuse Berth's network, and both would
    // hand out the same addresses
    TestDocker.client().createNetworkCmd().withName(other).withDriver("bridge").withInternal(true)
        .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(lan.address(48) + "/28")))
        .withLabels(Map.of(TestDocker.TEST_LABEL, "true")).exec();
    try {
      Cli.Result r = Cli.preflight(env);

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.line("FAIL", "overlap")).contains("range " + lan.address(32) + "/27 overlaps Docker network '"
          + other + "' (bridge, subnet " + lan.address(48) + "/28)").contains("Fix: choose BERTH_NETWORK_SUBNET/"
          + "BERTH_NETWORK_IP_RANGE clear of " + lan.address(48) + "/28, or docker network rm " + other);
    } finally {
      TestDocker.client().removeNetworkCmd(other).exec();
    }
  }

  @Test
  void aRangeOutsideTheSubnetFailsAsTheWorkerWouldAndWithTheFix() throws Exception {
    Map<String, String> env = env();
    env.put("BERTH_NETWORK_IP_RANGE", "203.0.113.0/28");

    Cli.Result r = Cli.preflight(env);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.line("FAIL", "config")).contains("BERTH_NETWORK_IP_RANGE: 203.0.113.0/28 is outside the subnet "
        + lan.subnet());
    assertThat(r.line("FAIL", "range")).contains("range 203.0.113.0/28 is not inside the subnet " + lan.subnet())
        .contains("Fix: set BERTH_NETWORK_IP_RANGE to a block inside " + lan.subnet());
    assertThat(r.line("OK", "docker")).as("the other checks still run").isNotEmpty();
  }

  @Test
  void aMissingImageFailsWithTheFix() throws Exception {
    Map<String, String> env = env();
    env.put("BERTH_IMAGE", "berth/no-such-image:it");

    Cli.Result r = Cli.preflight(env);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.line("FAIL", "image")).contains("berth/no-such-image:it (BERTH_IMAGE) is not present on this host")
        .contains("Fix: docker pull berth/no-such-image:it");
  }

  @Test
  void anUnreadableSecretFailsWithTheFixAndItsContentIsNeverShown() throws Exception {
    Map<String, String> env = env();
    Path empty = Files.createTempFile("berth-test-empty-licence", "");
    env.put("BERTH_WCS_LICENSE_FILE", empty.toString());
    env.put("BERTH_WCS_PASSWORD_FILE", "/nonexistent/berth-test-password");
    try {
      Cli.Result r = Cli.preflight(env);

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.out()).containsPattern("FAIL +secrets +BERTH_WCS_PASSWORD_FILE: /nonexistent/berth-test-password"
          + " does not exist\\. Fix: create it").contains("BERTH_WCS_LICENSE_FILE: " + empty + " is empty");
      assertThat(r.line("FAIL", "config")).contains("BERTH_WCS_PASSWORD_FILE");
      assertThat(r.out()).doesNotContain(WorkerHarness.TEST_PASSWORD).doesNotContain(WorkerHarness.TEST_LICENSE);
    } finally {
      Files.deleteIfExists(empty);
    }
  }

  /** A vhost of the test's own: a queue declared there with other arguments cannot disturb anything else. */
  @Test
  void aQueueDeclaredWithOtherArgumentsFailsWithTheBrokersWordsAndTheFix() throws Exception {
    String vhost = "berth-test-preflight-" + UUID.randomUUID().toString().substring(0, 8);
    Shell.must("rabbitmqctl", "-q", "add_vhost", vhost);
    Shell.must("rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
    try {
      String uri = "amqp://guest:guest@127.0.0.1:5672/" + vhost;
      com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
      factory.setUri(uri);
      try (com.rabbitmq.client.Connection c = factory.newConnection("berth-test-preflight");
           Channel ch = c.createChannel()) {
        // as a worker with BERTH_DELIVERY_LIMIT=3 declared it
        ch.queueDeclare("berth.requests", true, false, false, Map.of("x-queue-type", "quorum",
            "x-dead-letter-exchange", "berth.dead-letter", "x-dead-letter-strategy", "at-least-once",
            "x-overflow", "reject-publish", "x-delivery-limit", 3));
      }
      Map<String, String> env = env();
      env.put("BERTH_AMQP_URI", uri);

      Cli.Result r = Cli.preflight(env);

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.line("OK", "broker")).isNotEmpty();
      assertThat(r.line("FAIL", "topology")).contains("queue berth.requests exists with other arguments than this"
          + " worker declares (PRECONDITION_FAILED - inequivalent arg 'x-delivery-limit'")
          .contains("Fix: every worker must declare it alike: set BERTH_DELIVERY_LIMIT to the value the broker holds"
              + " (this worker says 5)");
    } finally {
      Shell.run("rabbitmqctl", "-q", "delete_vhost", vhost);
    }
  }

  /** The fleet's address plan: recorded by its first worker, compared by preflight and by every other worker. */
  @Test
  void inAFleetAHostWithAnotherRangeFailsPreflightAndIsRefusedAtStart() throws Exception {
    try (TestEtcd etcd = new TestEtcd()) {
      String prefix = "/berth-it-" + UUID.randomUUID().toString().substring(0, 8);
      Map<String, String> first = env();
      first.put("BERTH_ETCD_ENDPOINTS", etcd.endpoint());
      first.put("BERTH_ETCD_PREFIX", prefix);
      WorkerHarness recorder = startWorker(first);

      Map<String, String> second = env();
      second.put("BERTH_ETCD_ENDPOINTS", etcd.endpoint());
      second.put("BERTH_ETCD_PREFIX", prefix);
      assertThat(Cli.preflight(second).line("OK", "fleet-range")).contains("this host's plan is the fleet's");
      second.put("BERTH_NETWORK_IP_RANGE", lan.address(64) + "/27");

      Cli.Result r = Cli.preflight(second);

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.line("FAIL", "fleet-range")).contains("this host's range " + lan.address(64) + "/27 (the fleet's: "
          + lan.address(32) + "/27) differs from the fleet's plan").contains("the worker would refuse to start")
          .contains("Fix: set BERTH_NETWORK_IP_RANGE=" + lan.address(32) + "/27 as on every other host");
      assertThatThrownBy(() -> startWorker(second)).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("BERTH_NETWORK_IP_RANGE: this host's range " + lan.address(64) + "/27");
      // it had declared its queue before it asked etcd (the worker's order): not left for 3 days
      tap.deleteQueue(io.berth.events.Contract.hostQueue(second.get("BERTH_HOST_ID")));
      recorder.close(); // before its etcd goes away (closing again after the test is a no-op)
    }
  }
}
