package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.events.CloudEvent;
import io.berth.events.EventData;
import io.berth.events.RoomClosed;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import io.berth.events.TranscoderStopped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A graceful stop waits out the media server's grace period in Docker; that wait must not hold one of the
 * {@code BERTH_CONCURRENCY} threads that start transcoders, or a room of hung media servers closing stalls every start
 * on the host for (transcoders / concurrency) × grace.
 */
class GracefulStopsIT extends WorkerItSupport {

  @AfterAll
  static void removeImage() {
    StubbornImage.remove();
  }

  @Test
  void aRoomOfHungMediaServersClosingDoesNotHoldUpANewStart() throws Exception {
    StubbornImage.build();
    Map<String, String> env = WorkerHarness.env(lan, network, hostId());
    env.put("BERTH_ALLOWED_IMAGES", TestDocker.STANDIN_IMAGE + "," + StubbornImage.NAME);
    env.put("BERTH_CONCURRENCY", "1");
    env.put("BERTH_STOP_TIMEOUT_SECONDS", "8");
    WorkerHarness worker = startWorker(env);
    for (int i = 1; i <= 2; i++) {
      CloudEvent<TranscoderRequested> hung = CloudEvent.command(UUID.randomUUID().toString(), "urn:berth:test",
          Instant.now(), new TranscoderRequested("hung", "tx-" + i, "room-1", StubbornImage.NAME, null));
      tap.publish(hung);
      assertThat(awaitEventCausedBy(hung.id()).data()).isInstanceOf(TranscoderStarted.class);
    }

    CloudEvent<RoomClosed> close = CloudEvent.command(UUID.randomUUID().toString(), "urn:berth:test", Instant.now(),
        new RoomClosed("hung", "room-1"));
    tap.publish(close);
    // A stop is under way (SIGUSR2 ignored: it waits out its 8 s) before the next request arrives.
    await().atMost(Duration.ofSeconds(30)).until(() -> worker.docker().calls().contains("stop"));
    CloudEvent<TranscoderRequested> next = request("other", "tx-1", "room-9");
    tap.publish(next);

    await().atMost(Duration.ofSeconds(60)).until(() -> stoppedBy(close.id()) == 2
        && tap.causedBy(next.id()).size() == 1);
    List<CloudEvent<EventData>> events = tap.events();
    int started = indexOf(events, next.id(), TranscoderStarted.class);
    int firstStopped = indexOf(events, close.id(), TranscoderStopped.class);
    assertThat(started).as("the new transcoder started while the hung ones were still stopping")
        .isLessThan(firstStopped);
  }

  private long stoppedBy(String causation) {
    return tap.causedBy(causation).stream().filter(e -> e.data() instanceof TranscoderStopped).count();
  }

  private static int indexOf(List<CloudEvent<EventData>> events, String causation, Class<?> type) {
    for (int i = 0; i < events.size(); i++) {
      if (causation.equals(events.get(i).causationid()) && type.isInstance(events.get(i).data())) {
        return i;
      }
    }
    throw new AssertionError("no event caused by " + causation);
  }
}
