package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import io.berth.events.CloudEvent;
import io.berth.events.ContainerCrashed;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderRestarted;
import io.berth.events.TranscoderStarted;
import io.berth.events.WorkerHeartbeat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A worker that dies comes back to the truth: Docker's labelled containers. */
class ReconciliationIT extends WorkerItSupport {

  private Map<String, String> env(String hostId) throws Exception {
    Map<String, String> env = WorkerHarness.env(lan, network, hostId);
    env.put("BERTH_RECONCILE_SECONDS", "0.5");
    env.put("BERTH_HEARTBEAT_SECONDS", "0.5");
    env.put("BERTH_RESTART_INITIAL_BACKOFF_MS", "200");
    return env;
  }

  @Test
  void heartbeatsCarryCapacityRunningAndFree() throws Exception {
    Map<String, String> env = env(hostId());
    env.put("BERTH_MAX_TRANSCODERS", "5");
    WorkerHarness worker = startWorker(env);
    for (String id : List.of("tx-1", "tx-2")) {
      CloudEvent<TranscoderRequested> r = request("beat", id, "room");
      tap.publish(r);
      awaitEventCausedBy(r.id());
    }
    String host = worker.worker().hostId();
    await().atMost(Duration.ofSeconds(10)).until(() -> tap.events(WorkerHeartbeat.class, h -> h.hostId().equals(host))
        .contains(new WorkerHeartbeat(host, 5, 2, 3)));
  }

  @Test
  void restartedWorkerAdoptsWhatRunsAndRemovesHalfDoneWork() throws Exception {
    String host = hostId();
    WorkerHarness first = startWorker(env(host));
    List<TranscoderStarted> started = new java.util.ArrayList<>();
    for (String id : List.of("tx-1", "tx-2")) {
      CloudEvent<TranscoderRequested> r = request("adopt", id, "room");
      tap.publish(r);
      started.add((TranscoderStarted) awaitEventCausedBy(r.id()).data());
    }
    first.close();
    workers.remove(first);

    // What a worker killed mid-provision leaves: created, labelled, never started.
    Map<String, String> labels = new HashMap<>(Map.of("io.berth.managed", "true", "io.berth.host", host,
        "io.berth.tenant", "adopt", "io.berth.transcoder", "tx-9", "io.berth.room", "room",
        "io.berth.ip", lan.address(60), "io.berth.network", network, TestDocker.TEST_LABEL, "true"));
    String halfDone = TestDocker.client().createContainerCmd(TestDocker.STANDIN_IMAGE).withName("berth-adopt-tx-9")
        .withLabels(labels).withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")).exec().getId();

    WorkerHarness second = startWorker(env(host));
    await().atMost(Duration.ofSeconds(20)).until(() -> containersOf("adopt").stream().noneMatch(c -> c.getId().equals(halfDone)));
    await().atMost(Duration.ofSeconds(10)).until(() -> tap.events(WorkerHeartbeat.class, h -> h.hostId().equals(host))
        .stream().anyMatch(h -> h.running() == 2));
    assertThat(second.worker().capacity().held()).isEqualTo(2);
    assertThat(containersOf("adopt")).extracting(Container::getId)
        .containsExactlyInAnyOrderElementsOf(started.stream().map(TranscoderStarted::containerId).toList());

    // Adopted, not re-created: a repeated request is answered with the same container.
    CloudEvent<TranscoderRequested> again = request("adopt", "tx-1", "room");
    tap.publish(again);
    assertThat(((TranscoderStarted) awaitEventCausedBy(again.id()).data()).containerId())
        .isEqualTo(started.get(0).containerId());
  }

  @Test
  void workerKilledMidBurstConvergesToExactlyTheRequestedContainers() throws Exception {
    String host = hostId();
    List<CloudEvent<TranscoderRequested>> burst = IntStream.range(0, 12)
        .mapToObj(i -> request("kill", "tx-" + i, "room")).toList();
    try (WorkerProcess process = WorkerProcess.start(env(host))) {
      await().atMost(Duration.ofSeconds(60)).until(() -> process.output().contains("worker started"));
      for (CloudEvent<TranscoderRequested> r : burst) {
        tap.publish(r);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> containersOf("kill").size() >= 3);
      process.process().destroyForcibly(); // SIGKILL: no shutdown hook, nothing finished, nothing handed back
      await().atMost(Duration.ofSeconds(30)).until(() -> !process.process().isAlive());
    }
    startWorker(env(host));
    await().atMost(Duration.ofMinutes(2)).until(() -> burst.stream().allMatch(r -> tap.causedBy(r.id()).stream()
        .anyMatch(e -> e.data() instanceof TranscoderStarted)));
    await().atMost(Duration.ofSeconds(30)).until(() -> containersOf("kill").size() == 12
        && containersOf("kill").stream().allMatch(c -> "running".equals(c.getState())));
    List<Container> containers = containersOf("kill");
    assertThat(containers.stream().map(c -> c.getLabels().get("io.berth.transcoder")).distinct()).hasSize(12);
    assertThat(containers.stream().map(c -> c.getLabels().get("io.berth.ip")).distinct()).hasSize(12);
    assertThat(containers.stream().map(Container::getNames).map(n -> n[0]))
        .containsExactlyInAnyOrderElementsOf(burst.stream().map(r -> "/berth-kill-" + r.data().transcoderId()).toList());
  }

  /**
   * A dockerd restart stops every container with 0 or 143 and, under compose or systemd, restarts the worker too.
   * Nothing Berth decided (no release, close, suspension or crash-loop verdict, all durable) says the transcoder
   * should stay down, so the next worker starts it again, visibly. Before, an exit of 0 or 143 found after a worker
   * restart was taken for a stop on purpose: the transcoder stayed down with no event.
   */
  @Test
  void aTranscoderStoppedWhileNoWorkerRanIsStartedAgainByTheNextOne() throws Exception {
    String host = hostId();
    WorkerHarness first = startWorker(env(host));
    CloudEvent<TranscoderRequested> r = request("down", "tx-1", "room");
    tap.publish(r);
    TranscoderStarted started = (TranscoderStarted) awaitEventCausedBy(r.id()).data();
    first.close();
    workers.remove(first);
    TestDocker.client().stopContainerCmd(started.containerId()).withTimeout(5).exec(); // as a dockerd restart would
    assertThat(TestDocker.inspect(started.containerId()).getState().getExitCodeLong()).isEqualTo(0L);
    // The next worker replays the last second or two of Docker's events at start: let the exit fall before them, so
    // only its reconcile pass can find it (as after a dockerd restart, where the worker comes back later).
    java.time.Instant stoppedAt = java.time.Instant.now();
    await().atMost(Duration.ofSeconds(10)).until(() -> Duration.between(stoppedAt, java.time.Instant.now()).toSeconds() >= 3);

    startWorker(env(host));
    ContainerCrashed crashed = await().atMost(Duration.ofSeconds(30))
        .until(() -> tap.events(ContainerCrashed.class), l -> !l.isEmpty()).get(0);
    assertThat(crashed).isEqualTo(new ContainerCrashed("down", "tx-1", host, started.containerId(), 0, false, 0, true));
    await().atMost(Duration.ofSeconds(30)).until(() -> tap.events(TranscoderRestarted.class), l -> l.size() == 1);
    assertThat(TestDocker.inspect(started.containerId()).getState().getRunning()).isTrue();
    assertThat(lan.httpGet(started.ipAddress(), 8081, "/rest-api/")).isPresent();
  }

  @Test
  void aCrashMissedWhileTheEventStreamWasCutIsFoundAndRestarted() throws Exception {
    try (DockerSocketProxy proxy = new DockerSocketProxy(Path.of("/var/run/docker.sock"))) {
      Map<String, String> env = env(hostId());
      env.put("DOCKER_HOST", proxy.dockerHost());
      startWorker(env);
      CloudEvent<TranscoderRequested> r = request("miss", "tx-1", "room");
      tap.publish(r);
      TranscoderStarted started = (TranscoderStarted) awaitEventCausedBy(r.id()).data();

      proxy.down(); // the worker's event stream (and everything else) is cut
      TestDocker.client().killContainerCmd(started.containerId()).withSignal("USR1").exec();
      await().atMost(Duration.ofSeconds(10)).until(() -> !TestDocker.inspect(started.containerId()).getState().getRunning());
      assertThat(tap.events(ContainerCrashed.class)).as("nobody could tell the worker yet").isEmpty();
      proxy.up();

      ContainerCrashed crashed = await().atMost(Duration.ofSeconds(60))
          .until(() -> tap.events(ContainerCrashed.class), l -> !l.isEmpty()).get(0);
      assertThat(crashed.exitCode()).isEqualTo(42);
      assertThat(await().atMost(Duration.ofSeconds(60)).until(() -> tap.events(TranscoderRestarted.class), l -> !l.isEmpty()))
          .hasSize(1);
      assertThat(TestDocker.inspect(started.containerId()).getState().getRunning()).isTrue();
    }
  }
}
