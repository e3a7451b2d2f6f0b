package io.berth.worker.it.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.berth.events.Contract;
import io.berth.events.TranscoderRequested;
import io.berth.events.WorkerHeartbeat;
import io.berth.events.testing.Examples;
import io.berth.worker.it.BrokerTap;
import io.berth.worker.it.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Set-ups Berth cannot make safe are refused loudly instead of risking duplicates: several Docker engines sharing a
 * broker without etcd (nothing keeps a transcoder on one engine), and two workers with one host id.
 */
class UnsafeSetupIT {
  private TestFleet fleet;
  private String vhost;
  private BrokerTap tap;
  private Path workDir;
  private final List<Process> workers = new ArrayList<>();

  @BeforeEach
  void fleetOfTwo() throws Exception {
    fleet = TestFleet.start(2);
    vhost = "berth-unsafe-" + fleet.tag();
    Shell.must("rabbitmqctl", "-q", "add_vhost", vhost);
    Shell.must("rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
    tap = new BrokerTap(localUri());
    workDir = FleetWorkers.workDir();
  }

  @AfterEach
  void tearDown() throws Exception {
    workers.forEach(Process::destroyForcibly);
    if (tap != null) {
      tap.close();
    }
    if (fleet != null) {
      fleet.close();
    }
    Shell.run("rabbitmqctl", "-q", "delete_vhost", vhost);
  }

  private String localUri() {
    return "amqp://guest:guest@127.0.0.1:5672/" + vhost;
  }

  private int queued(String queue) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(localUri());
    try (Connection c = factory.newConnection("berth-test-unsafe"); Channel ch = c.createChannel()) {
      return ch.queueDeclarePassive(queue).getMessageCount();
    }
  }

  private void awaitHeartbeats(int hosts) {
    await().atMost(Duration.ofSeconds(60))
        .failFast("a worker exited; see its log in " + workDir, () -> workers.stream().anyMatch(p -> !p.isAlive()))
        .until(() -> tap.events(WorkerHeartbeat.class).stream().map(WorkerHeartbeat::hostId)
            .collect(Collectors.toSet()).size() == hosts);
  }

  @Test
  void twoEnginesOnOneBrokerWithoutEtcdTakeNoRequestsAndSaySo() throws Exception {
    for (FleetHost host : fleet.hosts()) {
      workers.add(FleetWorkers.start(host, FleetWorkers.env(fleet, host, vhost, workDir), workDir));
    }
    awaitHeartbeats(2);
    for (FleetHost host : fleet.hosts()) {
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(FleetWorkers.log(host, workDir))
          .contains("UNSAFE: host fleet-"));
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(FleetWorkers.log(host, workDir))
          .contains("not consuming: queue=berth.requests reasons=[unsafe]"));
    }
    tap.publish(Examples.command(new TranscoderRequested("unsafe", "tx-1", "room", null, null)));
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8))
        .until(() -> queued(Contract.REQUESTS_QUEUE) == 1);
    for (FleetHost host : fleet.hosts()) {
      assertThat(host.docker().listContainersCmd().withShowAll(true)
          .withLabelFilter(Map.of("io.berth.managed", "true")).exec()).isEmpty();
    }
  }

  @Test
  void theLaterOfTwoWorkersWithOneHostIdStandsDown() throws Exception {
    FleetHost host = fleet.host(1);
    Map<String, String> env = FleetWorkers.env(fleet, host, vhost, workDir);
    workers.add(FleetWorkers.start(host, env, workDir));
    awaitHeartbeats(1);
    Map<String, String> twinEnv = new java.util.HashMap<>(env);
    twinEnv.put("BERTH_STATE_DIR", workDir.resolve("twin-state").toString()); // its own store: only the pulse tells
    Path twinLog = workDir.resolve("worker-twin.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    workers.add(host.startProcess(List.of(java, "-Xmx256m", "-jar",
        io.berth.worker.it.WorkerProcess.JAR.toAbsolutePath().toString(), "worker"), twinEnv, twinLog));
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(twinLog)
        && Files.readString(twinLog).contains("UNSAFE: another worker with host id fleet-h1"));
    assertThat(Files.readString(FleetWorkers.log(host, workDir))).doesNotContain("UNSAFE");
    // The first one keeps serving.
    var request = Examples.command(new TranscoderRequested("twin", "tx-1", "room", null, null));
    tap.publish(request);
    await().atMost(Duration.ofSeconds(60)).until(() -> !tap.causedBy(request.id()).isEmpty());
    assertThat(Files.readString(twinLog)).doesNotContain("command received");
  }
}
