package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.berth.events.CloudEvent;
import io.berth.events.Contract;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged worker as operators run it: SIGTERM mid-provision loses nothing and leaves nothing; bad config fails fast. */
class WorkerProcessIT extends WorkerItSupport {

  @org.junit.jupiter.api.AfterAll
  static void removeTestImage() {
    StubbornImage.remove();
  }

  @Test
  void sigtermGivesInFlightWorkBackAndLeavesNothingBehind() throws Exception {
    Map<String, String> env = WorkerHarness.env(lan, network, hostId());
    env.put("BERTH_READINESS_PORT", "9"); // nothing listens there: provisioning stays in flight
    try (WorkerProcess process = WorkerProcess.start(env);
         Connection connection = TestBroker.connect("berth-test-process");
         Channel channel = connection.createChannel()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> process.output().contains("worker started"));
      CloudEvent<TranscoderRequested> request = request("sig", "tx-1", "room");
      tap.publish(request);
      await().atMost(Duration.ofSeconds(60)).until(() -> containersOf("sig").size() == 1);

      process.terminate();
      await().atMost(Duration.ofSeconds(60)).until(() -> !process.process().isAlive());
      assertThat(process.output()).contains("worker stopping").contains("worker stopped");
      assertThat(containersOf("sig")).as("the half-made container is removed").isEmpty();
      assertThat(tap.causedBy(request.id())).as("no event: nothing happened").isEmpty();
      assertThat(tap.drainDeadLetters()).isEmpty();
      await().atMost(Duration.ofSeconds(10))
          .until(() -> channel.queueDeclarePassive(Contract.REQUESTS_QUEUE).getMessageCount() == 1);
    }

    // Nothing lost: the next worker provisions the request that was given back.
    startWorker(hostId());
    await().atMost(Duration.ofSeconds(60)).until(() -> !tap.events(TranscoderStarted.class).isEmpty());
    assertThat(tap.events(TranscoderStarted.class)).extracting(TranscoderStarted::transcoderId).containsExactly("tx-1");
    assertThat(containersOf("sig")).hasSize(1);
  }

  /**
   * Issue 7 #3: the worker dies after stopping a released transcoder but before its {@code TranscoderStopped} is
   * published. The release comes back to the next worker, which must still be able to report the outcome: the
   * container is only removed after the event is confirmed.
   */
  @Test
  void aReleaseWhoseEventWasNotPublishedBeforeAKillIsReportedByTheNextWorker() throws Exception {
    String host = hostId();
    Map<String, String> env = WorkerHarness.env(lan, network, host);
    CloudEvent<TranscoderRequested> request = request("kill", "tx-1", "room");
    CloudEvent<io.berth.events.TranscoderReleased> release = CloudEvent.command(java.util.UUID.randomUUID().toString(),
        "urn:berth:test", request.time().plusSeconds(1), new io.berth.events.TranscoderReleased("kill", "tx-1"));
    stopForReleaseThenKill(env, host, request, release, "kill");
    assertThat(tap.causedBy(release.id())).as("nothing was published before the kill").isEmpty();

    startWorker(env);
    await().atMost(Duration.ofSeconds(60)).until(() -> !tap.causedBy(release.id()).isEmpty());
    assertThat(tap.causedBy(release.id())).singleElement()
        .satisfies(e -> assertThat(e.data()).isInstanceOf(io.berth.events.TranscoderStopped.class));
    await().atMost(Duration.ofSeconds(30)).until(() -> containersOf("kill").isEmpty());
    assertThat(tap.drainDeadLetters()).isEmpty();
  }

  /**
   * Issue 7 (chaos scenario 3): a media server that ignores SIGTERM is killed at the end of the stop timeout, so its
   * container ends with 137, not with a stop's 0 or 143. The worker that stopped it for a release dies before
   * reporting; the next one saw an exit it had not asked for and read it as a crash: ContainerCrashed, a restart, and
   * once the release had removed the container, a second answer, {@code removed-externally}. The recorded release
   * says it was Berth's own stop, whichever worker made it.
   */
  @Test
  void aStopThatAPreviousWorkerMadeForAReleaseIsNoCrashToTheNextOne() throws Exception {
    String host = hostId();
    Map<String, String> env = WorkerHarness.env(lan, network, host);
    env.put("BERTH_ALLOWED_IMAGES", TestDocker.STANDIN_IMAGE + "," + StubbornImage.NAME);
    env.put("BERTH_STOP_TIMEOUT_SECONDS", "1");
    env.put("BERTH_RESTART_INITIAL_BACKOFF_MS", "200");
    env.put("BERTH_RESTART_MAX_BACKOFF_MS", "500");
    StubbornImage.build();
    CloudEvent<TranscoderRequested> request = CloudEvent.command(java.util.UUID.randomUUID().toString(),
        "urn:berth:test", java.time.Instant.now(), new TranscoderRequested("stub", "tx-1", "room", StubbornImage.NAME,
            null));
    CloudEvent<io.berth.events.TranscoderReleased> release = CloudEvent.command(java.util.UUID.randomUUID().toString(),
        "urn:berth:test", request.time().plusSeconds(1), new io.berth.events.TranscoderReleased("stub", "tx-1"));
    stopForReleaseThenKill(env, host, request, release, "stub");
    String containerId = containersOf("stub").get(0).getId();
    assertThat(TestDocker.inspect(containerId).getState().getExitCodeLong()).as("killed at the stop timeout")
        .isEqualTo(137L);

    startWorker(env);
    await().atMost(Duration.ofSeconds(60)).until(() -> !tap.causedBy(release.id()).isEmpty());
    await().atMost(Duration.ofSeconds(30)).until(() -> containersOf("stub").isEmpty());
    // Longer than the restart backoff: a restart scheduled for the "crash" would have run and reported by now.
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> tap.events().stream()
        .noneMatch(e -> e.data() instanceof io.berth.events.ContainerCrashed
            || e.data() instanceof io.berth.events.TranscoderRestarted
            || e.data() instanceof io.berth.events.TranscoderStopped s && s.reason() != io.berth.events.StopReason.RELEASED));
    assertThat(tap.causedBy(release.id())).singleElement()
        .satisfies(e -> assertThat(e.data()).isInstanceOf(io.berth.events.TranscoderStopped.class));
    assertThat(tap.causedBy(request.id())).as("the request's one answer, nothing after it")
        .extracting(e -> e.data().getClass().getSimpleName()).containsExactly("TranscoderStarted");
    assertThat(tap.drainDeadLetters()).isEmpty();
  }

  @Test
  void badConfigurationStopsTheWorkerWithOneLineNamingTheVariable() throws Exception {
    Map<String, String> env = WorkerHarness.env(lan, network, hostId());
    env.put("BERTH_NETWORK_IP_RANGE", "203.0.113.0/28"); // outside the LAN's subnet
    try (WorkerProcess process = WorkerProcess.start(env)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> !process.process().isAlive());
      assertThat(process.process().exitValue()).isEqualTo(2);
      assertThat(process.output().strip())
          .isEqualTo("berth: configuration error: BERTH_NETWORK_IP_RANGE: 203.0.113.0/28 is outside the subnet "
              + lan.subnet());
    }
  }


  /**
   * Serves the request with a worker process, then cuts its publishing and sends the release: the worker stops the
   * transcoder but cannot report it, and is SIGKILLed while the event waits for the broker.
   */
  private static void stopForReleaseThenKill(Map<String, String> env, String host,
      CloudEvent<TranscoderRequested> request, CloudEvent<io.berth.events.TranscoderReleased> release, String tenant)
      throws Exception {
    try (WorkerProcess process = WorkerProcess.start(env)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> process.output().contains("worker started"));
      tap.publish(request);
      assertThat(awaitEventCausedBy(request.id()).data()).isInstanceOf(TranscoderStarted.class);

      String publishing = "berth-worker-" + host + "-publish";
      assertThat(RabbitCtl.closeConnection(publishing, "berth test: publish outage")).isEqualTo(1);
      java.util.concurrent.CompletableFuture<Void> outage = java.util.concurrent.CompletableFuture
          .runAsync(() -> RabbitCtl.keepClosed(publishing, Duration.ofSeconds(15)));
      tap.publish(release);
      await().atMost(Duration.ofSeconds(60))
          .until(() -> containersOf(tenant).stream().noneMatch(c -> "running".equals(c.getState())));
      process.process().destroyForcibly(); // SIGKILL while the event waits for the broker
      await().atMost(Duration.ofSeconds(30)).until(() -> !process.process().isAlive());
      outage.join();
    }
  }
}
