package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.CloudEvent;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderRestarted;
import io.berth.events.TranscoderStarted;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code berth status} against a live worker: what it holds, read back from Docker alone (and etcd in a fleet). */
class StatusIT extends WorkerItSupport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Map<String, String> env(String host) throws Exception {
    Map<String, String> env = WorkerHarness.env(lan, network, host);
    env.put("BERTH_RESTART_INITIAL_BACKOFF_MS", "100");
    env.put("BERTH_RESTART_MAX_BACKOFF_MS", "200");
    return env;
  }

  private TranscoderStarted provision(String tenant, String transcoder) {
    CloudEvent<TranscoderRequested> request = request(tenant, transcoder, "room-1");
    try {
      tap.publish(request);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return (TranscoderStarted) awaitEventCausedBy(request.id()).data();
  }

  @Test
  void showsWhatThisHostHoldsFromDockerAlone() throws Exception {
    String host = hostId();
    startWorker(env(host));
    TranscoderStarted started = provision("status", "tx-1");
    // only what status needs: the Docker engine and the host id
    Map<String, String> statusEnv = Map.of("DOCKER_HOST", TestDocker.dockerHost(), "BERTH_HOST_ID", host);

    Cli.Result table = Cli.status(statusEnv);

    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.lines().get(0)).isEqualTo("host " + host + " (Docker " + TestDocker.dockerHost()
        + "): 1 transcoder");
    assertThat(table.lines().get(1)).startsWith("TENANT  TRANSCODER  ROOM    ADDRESS").endsWith("LAST EXIT");
    assertThat(table.lines().get(2)).matches("status  tx-1        room-1  " + started.ipAddress().replace(".", "\\.")
        + " +running +\\d+s +-");

    JsonNode json = JSON.readTree(Cli.status(statusEnv, "--json").out());
    JsonNode t = json.path("host").path("transcoders").get(0);
    assertThat(t.path("tenantId").asText()).isEqualTo("status");
    assertThat(t.path("address").asText()).isEqualTo(started.ipAddress());
    assertThat(t.path("containerId").asText()).isEqualTo(started.containerId());
    assertThat(t.path("state").asText()).isEqualTo("running");
    assertThat(t.path("uptimeSeconds").asLong()).isBetween(0L, 120L);
    assertThat(t.path("lastExitAt").isNull()).isTrue();
    assertThat(json.path("fleet").isNull()).isTrue();
  }

  @Test
  void aCrashRestartedByBerthShowsAsTheLastExit() throws Exception {
    String host = hostId();
    startWorker(env(host));
    TranscoderStarted started = provision("status", "tx-2");

    TestDocker.client().killContainerCmd(started.containerId()).exec();
    await().atMost(Duration.ofSeconds(30)).until(() -> tap.events(TranscoderRestarted.class,
        r -> r.transcoderId().equals("tx-2")), l -> !l.isEmpty());

    Cli.Result r = Cli.status(Map.of("DOCKER_HOST", TestDocker.dockerHost(), "BERTH_HOST_ID", host), "--json");
    JsonNode t = JSON.readTree(r.out()).path("host").path("transcoders").get(0);
    assertThat(t.path("state").asText()).isEqualTo("running");
    assertThat(t.path("lastExitAt").isNull()).as("the kill").isFalse();
    assertThat(t.path("lastExitCode").isNull()).as("Docker resets it when the container starts again").isTrue();
    assertThat(Cli.status(Map.of("DOCKER_HOST", TestDocker.dockerHost(), "BERTH_HOST_ID", host)).lines().get(2))
        .matches(".* running +\\d+s +\\d+s ago");
  }

  @Test
  void anotherHostIdOnTheEngineIsPointedOut() throws Exception {
    String host = hostId();
    startWorker(env(host));
    provision("status", "tx-3");

    Cli.Result r = Cli.status(Map.of("DOCKER_HOST", TestDocker.dockerHost(), "BERTH_HOST_ID", "it-nobody"));

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("host it-nobody (Docker " + TestDocker.dockerHost() + "): no transcoders")
        .contains("(this Docker engine also runs Berth containers of").contains(host);
  }

  @Test
  void inAFleetEveryHostAndWhereEachTranscoderRuns() throws Exception {
    try (TestEtcd etcd = new TestEtcd()) {
      String host = hostId();
      String prefix = "/berth-it-" + UUID.randomUUID().toString().substring(0, 8);
      Map<String, String> env = env(host);
      env.put("BERTH_ETCD_ENDPOINTS", etcd.endpoint());
      env.put("BERTH_ETCD_PREFIX", prefix);
      WorkerHarness worker = startWorker(env);
      TranscoderStarted started = provision("fleet", "tx-1");
      Map<String, String> statusEnv = Map.of("DOCKER_HOST", TestDocker.dockerHost(), "BERTH_HOST_ID", host,
          "BERTH_ETCD_ENDPOINTS", etcd.endpoint(), "BERTH_ETCD_PREFIX", prefix);

      Cli.Result table = Cli.status(statusEnv);
      JsonNode fleet = JSON.readTree(Cli.status(statusEnv, "--json").out()).path("fleet");

      assertThat(table.exitCode()).as(table.err()).isZero();
      assertThat(table.out()).contains("fleet " + prefix + ": 1 live host, 1 transcoder, range " + lan.address(32)
          + "/27 (subnet " + lan.subnet() + ")");
      assertThat(fleet.path("hosts").get(0).path("hostId").asText()).isEqualTo(host);
      assertThat(fleet.path("hosts").get(0).path("holds").asInt()).isEqualTo(1);
      assertThat(fleet.path("hosts").get(0).path("leaseSecondsLeft").asLong()).isBetween(1L, 10L);
      JsonNode placed = fleet.path("transcoders").get(0);
      assertThat(placed.path("transcoderId").asText()).isEqualTo("tx-1");
      assertThat(placed.path("hostId").asText()).isEqualTo(host);
      assertThat(placed.path("state").asText()).isEqualTo("held");
      assertThat(placed.path("address").asText()).isEqualTo(started.ipAddress());
      worker.close(); // before its etcd goes away (closing again after the test is a no-op)
    }
  }
}
