package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.events.CloudEvent;
import io.berth.events.ProvisioningFailed;
import io.berth.events.TranscoderReleased;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import io.berth.events.TranscoderStopped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A release seen before the request it cancels wins; a release racing its request leaves nothing running. */
class CancellationIT extends WorkerItSupport {

  @Test
  void releaseSeenBeforeItsRequestMeansTheRequestIsNotProvisioned() throws Exception {
    WorkerHarness worker = startWorker(hostId());
    Instant requestedAt = Instant.now();
    CloudEvent<TranscoderRequested> request = CloudEvent.command(UUID.randomUUID().toString(), "urn:berth:test",
        requestedAt, new TranscoderRequested("race", "tx-1", "room-1", null, null));
    CloudEvent<TranscoderReleased> release = CloudEvent.command(UUID.randomUUID().toString(), "urn:berth:test",
        requestedAt.plusMillis(5), new TranscoderReleased("race", "tx-1"));
    tap.publish(release); // the request is still on its way (queued, or retrying upstream)
    await().atMost(Duration.ofSeconds(30)).until(() -> worker.commandsHandled() == 1); // the release, recorded
    tap.publish(request);

    assertThat(awaitEventCausedBy(request.id()).data()).isInstanceOfSatisfying(ProvisioningFailed.class, f -> {
      assertThat(f.code()).isEqualTo("cancelled");
      assertThat(f.message()).contains(release.id());
    });
    assertThat(containersOf("race")).isEmpty();
    assertThat(worker.docker().calls()).noneMatch(c -> c.startsWith("create"));
  }

  @Test
  void releaseRacingItsRequestLeavesNothingRunning() throws Exception {
    startWorker(hostId());
    for (int i = 0; i < 5; i++) {
      CloudEvent<TranscoderRequested> request = request("burst", "tx-" + i, "room-1");
      CloudEvent<TranscoderReleased> release = io.berth.events.testing.Examples.transcoderReleased("burst", "tx-" + i);
      tap.publish(request);
      tap.publish(release);
    }
    // Each request either never started (cancelled) or started and was then stopped by its release.
    await().atMost(Duration.ofSeconds(90)).until(() -> {
      long cancelled = tap.events(ProvisioningFailed.class, f -> f.tenantId().equals("burst")).size();
      long stopped = tap.events(TranscoderStopped.class, s -> s.tenantId().equals("burst")).size();
      return cancelled + stopped == 5;
    });
    assertThat(tap.events(ProvisioningFailed.class, f -> f.tenantId().equals("burst")))
        .allMatch(f -> f.code().equals("cancelled"));
    assertThat(tap.events(TranscoderStopped.class, s -> s.tenantId().equals("burst")).size())
        .isEqualTo(tap.events(TranscoderStarted.class, s -> s.tenantId().equals("burst")).size());
    await().atMost(Duration.ofSeconds(30)).until(() -> workers.get(0).worker().idle());
    assertThat(containersOf("burst")).isEmpty();
  }

  /**
   * A command comes back after it was answered (a lost ack, or a publisher resending with the same id as the contract
   * tells it to) — here after the transcoder was released. It must get its first answer again, not a second, different
   * one: the chaos suite's broker restart found requests answered TranscoderStarted and then cancelled.
   */
  @Test
  void aRequestThatComesBackAfterItsReleaseGetsItsFirstAnswerAgain() throws Exception {
    startWorker(hostId());
    CloudEvent<TranscoderRequested> request = request("again", "tx-1", "room-1");
    tap.publish(request);
    CloudEvent<io.berth.events.EventData> first = awaitEventCausedBy(request.id());
    assertThat(first.data()).isInstanceOf(TranscoderStarted.class);
    CloudEvent<TranscoderReleased> release = CloudEvent.command(UUID.randomUUID().toString(), "urn:berth:test",
        request.time().plusSeconds(1), new TranscoderReleased("again", "tx-1"));
    tap.publish(release);
    awaitEventCausedBy(release.id());
    await().atMost(Duration.ofSeconds(10)).until(() -> containersOf("again").isEmpty());

    tap.publish(request); // the very same command again
    await().atMost(Duration.ofSeconds(30)).until(() -> tap.causedBy(request.id()).size() == 2);
    assertThat(tap.causedBy(request.id())).extracting(CloudEvent::id).as("the same answer, the same id")
        .containsOnly(first.id());
    assertThat(containersOf("again")).as("a released transcoder does not come back").isEmpty();
  }
}
