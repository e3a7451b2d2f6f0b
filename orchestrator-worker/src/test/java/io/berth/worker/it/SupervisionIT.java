package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.berth.events.CloudEvent;
import io.berth.events.ContainerCrashed;
import io.berth.events.ProvisioningFailed;
import io.berth.events.RestartCause;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderRestarted;
import io.berth.events.TranscoderStarted;
import io.berth.events.testing.Examples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Crashes are seen, published and restarted in isolation, by Berth's own policy. */
class SupervisionIT extends WorkerItSupport {
  static final String CRASHLOOP_IMAGE = "berth/wcs-standin:crashloop-it";

  /** The stand-in, crashing by itself a second after each start. Built FROM the local image: nothing is pulled. */
  @BeforeAll
  static void crashLoopImage() throws Exception {
    Path dir = Files.createTempDirectory("berth-test-crashloop");
    Files.writeString(dir.resolve("Dockerfile"),
        "FROM " + TestDocker.STANDIN_IMAGE + "\nENV STANDIN_CRASH_AFTER_SECONDS=1\n");
    TestDocker.client().buildImageCmd(dir.toFile()).withTags(java.util.Set.of(CRASHLOOP_IMAGE))
        .start().awaitImageId();
  }

  @org.junit.jupiter.api.AfterAll
  static void removeCrashLoopImage() {
    try {
      TestDocker.client().removeImageCmd(CRASHLOOP_IMAGE).withForce(true).exec();
    } catch (RuntimeException ignored) {
      // already gone
    }
  }

  private Map<String, String> env() throws Exception {
    Map<String, String> env = WorkerHarness.env(lan, network, hostId());
    env.put("BERTH_ALLOWED_IMAGES", TestDocker.STANDIN_IMAGE + "," + CRASHLOOP_IMAGE);
    env.put("BERTH_RESTART_INITIAL_BACKOFF_MS", "200");
    env.put("BERTH_RESTART_MAX_BACKOFF_MS", "1000");
    return env;
  }

  @Test
  void crashedFromOutsideItIsReportedAndRestartedOnItsAddress() throws Exception {
    startWorker(env());
    CloudEvent<TranscoderRequested> request = request("crash", "tx-1", "room");
    tap.publish(request);
    TranscoderStarted started = (TranscoderStarted) awaitEventCausedBy(request.id()).data();

    Instant killedAt = Instant.now();
    TestDocker.client().killContainerCmd(started.containerId()).withSignal("USR1").exec();
    ContainerCrashed crashed = await().atMost(Duration.ofSeconds(30))
        .until(() -> tap.events(ContainerCrashed.class), l -> !l.isEmpty()).get(0);
    System.out.printf("crash-to-ContainerCrashed: %d ms%n", Duration.between(killedAt, Instant.now()).toMillis());
    assertThat(crashed).isEqualTo(new ContainerCrashed("crash", "tx-1", started.hostId(), started.containerId(), 42,
        false, 0, true));
    assertThat(tap.events().stream().filter(e -> e.data() instanceof ContainerCrashed).findFirst().orElseThrow()
        .causationid()).as("caused by the request that made the transcoder").isEqualTo(request.id());

    TranscoderRestarted restarted = await().atMost(Duration.ofSeconds(30))
        .until(() -> tap.events(TranscoderRestarted.class), l -> !l.isEmpty()).get(0);
    assertThat(restarted).isEqualTo(new TranscoderRestarted("crash", "tx-1", started.hostId(), RestartCause.CRASHED, 1));
    InspectContainerResponse after = TestDocker.inspect(started.containerId());
    assertThat(after.getState().getRunning()).isTrue();
    assertThat(after.getNetworkSettings().getNetworks().get(network).getIpAddress()).isEqualTo(started.ipAddress());
    assertThat(lan.httpGet(started.ipAddress(), 8081, "/rest-api/")).isPresent();
    assertThat(after.getHostConfig().getRestartPolicy().getName()).as("Docker's own policy stays off").isIn("no", "");
  }

  /**
   * Issue 7 #11: a worker restart starts restart counts again, so a new crash of the same container carried the very
   * event ids of an old one, and consumers that de-duplicate on id (as the contract tells them to) dropped it.
   */
  @Test
  void aCrashAfterAWorkerRestartGetsEventIdsOfItsOwn() throws Exception {
    Map<String, String> env = env();
    WorkerHarness first = startWorker(env);
    CloudEvent<TranscoderRequested> request = request("crash", "tx-2", "room");
    tap.publish(request);
    TranscoderStarted started = (TranscoderStarted) awaitEventCausedBy(request.id()).data();
    TestDocker.client().killContainerCmd(started.containerId()).withSignal("USR1").exec();
    await().atMost(Duration.ofSeconds(30)).until(() -> tap.events(TranscoderRestarted.class), l -> l.size() == 1);
    first.close();

    startWorker(env);
    await().atMost(Duration.ofSeconds(30))
        .until(() -> TestDocker.inspect(started.containerId()).getState().getRunning());
    TestDocker.client().killContainerCmd(started.containerId()).withSignal("USR1").exec();
    await().atMost(Duration.ofSeconds(30)).until(() -> tap.events(TranscoderRestarted.class), l -> l.size() == 2);

    java.util.List<String> crashIds = tap.events().stream().filter(e -> e.data() instanceof ContainerCrashed)
        .map(CloudEvent::id).toList();
    java.util.List<String> restartIds = tap.events().stream().filter(e -> e.data() instanceof TranscoderRestarted)
        .map(CloudEvent::id).toList();
    assertThat(crashIds).as("two crashes, two ids").hasSize(2).doesNotHaveDuplicates();
    assertThat(restartIds).as("two restarts, two ids").hasSize(2).doesNotHaveDuplicates();
  }

  /**
   * A release that arrives while a crashed transcoder waits for its restart ends it with one answer. Before, the
   * restart ran after the removal, found no container and reported a second, {@code removed-externally}, under the
   * request that made it (found by chaos scenario 3).
   */
  @Test
  void aReleaseDuringTheRestartBackoffEndsTheTranscoderWithOneAnswer() throws Exception {
    Map<String, String> env = env();
    env.put("BERTH_RESTART_INITIAL_BACKOFF_MS", "3000");
    env.put("BERTH_RESTART_MAX_BACKOFF_MS", "3000");
    startWorker(env);
    CloudEvent<TranscoderRequested> request = request("backoff", "tx-1", "room");
    tap.publish(request);
    TranscoderStarted started = (TranscoderStarted) awaitEventCausedBy(request.id()).data();
    TestDocker.client().killContainerCmd(started.containerId()).withSignal("USR1").exec();
    await().atMost(Duration.ofSeconds(30)).until(() -> tap.events(ContainerCrashed.class), l -> l.size() == 1);

    CloudEvent<io.berth.events.TranscoderReleased> release = CloudEvent.command(java.util.UUID.randomUUID().toString(),
        "urn:berth:test", Instant.now(), new io.berth.events.TranscoderReleased("backoff", "tx-1"));
    tap.publish(release);
    await().atMost(Duration.ofSeconds(30)).until(() -> containersOf("backoff").isEmpty());
    assertThat(tap.causedBy(release.id())).singleElement().satisfies(e -> assertThat(e.data())
        .isEqualTo(new io.berth.events.TranscoderStopped("backoff", "tx-1", started.hostId(),
            io.berth.events.StopReason.RELEASED, true)));
    // Past the backoff: the restart that was due has run by now, and must have found nothing to do or say.
    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() -> tap.events().stream()
        .noneMatch(e -> e.data() instanceof TranscoderRestarted
            || e.data() instanceof io.berth.events.TranscoderStopped s && s.reason() != io.berth.events.StopReason.RELEASED));
    assertThat(tap.causedBy(request.id())).extracting(e -> e.data().getClass().getSimpleName())
        .containsExactly("TranscoderStarted", "ContainerCrashed");
  }

  @Test
  void crashLoopEndsInProvisioningFailedWhileTheNeighbourStaysUntouched() throws Exception {
    Map<String, String> env = env();
    env.put("BERTH_RESTART_MAX", "2");
    startWorker(env);
    CloudEvent<TranscoderRequested> neighbourRequest = request("loop", "calm", "room");
    tap.publish(neighbourRequest);
    TranscoderStarted neighbour = (TranscoderStarted) awaitEventCausedBy(neighbourRequest.id()).data();
    String neighbourStartedAt = TestDocker.inspect(neighbour.containerId()).getState().getStartedAt();

    CloudEvent<TranscoderRequested> looping = Examples.command(
        new TranscoderRequested("loop", "wild", "room", CRASHLOOP_IMAGE, null));
    tap.publish(looping);
    ProvisioningFailed failed = await().atMost(Duration.ofSeconds(60))
        .until(() -> tap.events(ProvisioningFailed.class), l -> !l.isEmpty()).get(0);
    assertThat(failed.code()).isEqualTo("crash-loop");
    assertThat(failed.transcoderId()).isEqualTo("wild");
    assertThat(failed.retriable()).isFalse();
    assertThat(tap.events(TranscoderRestarted.class, r -> r.transcoderId().equals("wild")))
        .extracting(TranscoderRestarted::restartCount).containsExactly(1, 2);
    assertThat(tap.events(ContainerCrashed.class, c -> c.transcoderId().equals("wild")))
        .extracting(ContainerCrashed::willRestart).containsExactly(true, true, false);
    String wildId = containersOf("loop").stream().filter(c -> "wild".equals(c.getLabels().get("io.berth.transcoder")))
        .findFirst().orElseThrow().getId();
    await().atMost(Duration.ofSeconds(10)).until(() -> !TestDocker.inspect(wildId).getState().getRunning());
    assertThat(TestDocker.inspect(wildId).getState().getRunning()).as("left stopped for inspection").isFalse();

    InspectContainerResponse calm = TestDocker.inspect(neighbour.containerId());
    assertThat(calm.getState().getRunning()).isTrue();
    assertThat(calm.getState().getStartedAt()).as("never restarted").isEqualTo(neighbourStartedAt);
    assertThat(calm.getNetworkSettings().getNetworks().get(network).getIpAddress()).isEqualTo(neighbour.ipAddress());
    assertThat(tap.events(ContainerCrashed.class, c -> c.transcoderId().equals("calm"))).isEmpty();
    assertThat(lan.httpGet(neighbour.ipAddress(), 8081, "/rest-api/")).isPresent();
  }
}
