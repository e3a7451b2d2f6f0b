package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.events.CloudEvent;
import io.berth.events.EventData;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code BERTH_CONCURRENCY} bounds how many containers are created and started at once, which is CPU work on the host;
 * waiting for a media server to get ready is not, and must cost the waiting request latency, not the host its start
 * rate: with a real WCS (tens of seconds to start) a burst would otherwise start BERTH_CONCURRENCY transcoders per
 * start-up time.
 */
class StartConcurrencyIT extends WorkerItSupport {

  @AfterAll
  static void removeImage() {
    SlowImage.remove();
  }

  @Test
  void aMediaServerSlowToGetReadyDoesNotHoldUpTheNextStart() throws Exception {
    SlowImage.build();
    Map<String, String> env = WorkerHarness.env(lan, network, hostId());
    env.put("BERTH_ALLOWED_IMAGES", TestDocker.STANDIN_IMAGE + "," + SlowImage.NAME);
    env.put("BERTH_CONCURRENCY", "1");
    WorkerHarness worker = startWorker(env);
    CloudEvent<TranscoderRequested> slow = CloudEvent.command(UUID.randomUUID().toString(), "urn:berth:test",
        Instant.now(), new TranscoderRequested("slow", "tx-1", "room-1", SlowImage.NAME, null));
    tap.publish(slow);
    // Its container runs and its readiness is being waited for before the next request arrives.
    await().atMost(Duration.ofSeconds(30)).until(() -> worker.docker().calls().contains("start"));
    CloudEvent<TranscoderRequested> next = request("other", "tx-1", "room-9");
    tap.publish(next);

    await().atMost(Duration.ofSeconds(60 + SlowImage.READY_AFTER_SECONDS)).until(() ->
        tap.causedBy(slow.id()).size() == 1 && tap.causedBy(next.id()).size() == 1);
    List<CloudEvent<EventData>> events = tap.events();
    assertThat(indexOf(events, next.id())).as("the second transcoder was ready while the first was still starting up")
        .isLessThan(indexOf(events, slow.id()));
  }

  private static int indexOf(List<CloudEvent<EventData>> events, String causation) {
    for (int i = 0; i < events.size(); i++) {
      if (causation.equals(events.get(i).causationid()) && events.get(i).data() instanceof TranscoderStarted) {
        return i;
      }
    }
    throw new AssertionError("no TranscoderStarted caused by " + causation);
  }
}
