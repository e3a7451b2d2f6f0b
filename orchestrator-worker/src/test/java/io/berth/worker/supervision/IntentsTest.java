package io.berth.worker.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.worker.config.SupervisionConfig;
import io.berth.worker.coordination.Cancellation;
import io.berth.worker.coordination.Demand;
import io.berth.worker.coordination.LocalCoordination;
import io.berth.worker.docker.Labels;
import io.berth.worker.docker.ManagedContainer;
import io.berth.worker.provisioning.TranscoderKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether a stopped container is Berth's own stop (left stopped) or a crash (restarted), as the next worker sees it. */
class IntentsTest {
  private static final Instant DEMANDED_AT = Instant.now().minusSeconds(60);

  @TempDir
  Path stateDir;
  private LocalCoordination coordination;
  private Intents intents;

  @BeforeEach
  void open() {
    coordination = LocalCoordination.open(stateDir, "host-a", Clock.systemUTC(), Duration.ofHours(1));
    intents = new Intents(Clock.systemUTC(), new CrashTracker(new SupervisionConfig(Duration.ofSeconds(1),
        Duration.ofSeconds(10), Duration.ofMinutes(5), 3, Duration.ofMinutes(10), Duration.ofSeconds(30),
        Duration.ofSeconds(15)), Clock.systemUTC(), () -> 0.0), coordination);
  }

  @AfterEach
  void close() {
    coordination.close();
  }

  private static ManagedContainer stopped(String transcoderId, String roomId, Instant requestedAt) {
    return new ManagedContainer("c-" + transcoderId, "berth-acme-" + transcoderId, "exited", Map.of(
        Labels.MANAGED, "true", Labels.HOST, "host-a", Labels.TENANT, "acme", Labels.TRANSCODER, transcoderId,
        Labels.ROOM, roomId, Labels.REQUESTED_AT, requestedAt.toString()));
  }

  private void demand(int transcoders) {
    coordination.demandChanged("acme", "r", new Demand(transcoders, null, null, DEMANDED_AT, "d-" + transcoders,
        "RoomDemandChanged"));
  }

  @Test
  void aDemandTranscoderTheDemandNoLongerCountsWasStoppedOnPurpose() {
    demand(2);
    assertThat(intents.leaveStopped(stopped("r-d3", "r", DEMANDED_AT))).isTrue();
    assertThat(intents.leaveStopped(stopped("r-d2", "r", DEMANDED_AT))).isTrue();
  }

  @Test
  void aDemandTranscoderTheDemandCountsIsACrash() {
    demand(2);
    assertThat(intents.leaveStopped(stopped("r-d1", "r", DEMANDED_AT))).isFalse();
  }

  @Test
  void aReleaseReplacesADemandTranscoderItDoesNotStopItForGood() {
    demand(2);
    // released after the demand, and placed again under the same demand (its requested-at is the demand's time)
    coordination.transcoderReleased(new TranscoderKey("acme", "r-d1"),
        new Cancellation("rel-1", "TranscoderReleased", DEMANDED_AT.plusSeconds(5)));
    assertThat(intents.leaveStopped(stopped("r-d1", "r", DEMANDED_AT))).isFalse();
  }

  @Test
  void aRoomCloseStillStopsDemandTranscoders() {
    demand(2);
    coordination.roomClosed("acme", "r", new Cancellation("close-1", "RoomClosed", DEMANDED_AT.plusSeconds(5)));
    assertThat(intents.leaveStopped(stopped("r-d0", "r", DEMANDED_AT))).isTrue();
  }

  @Test
  void aDemandFormIdWithoutADemandFollowsTheUsualRules() {
    assertThat(intents.leaveStopped(stopped("q-d3", "q", DEMANDED_AT))).isFalse();
    coordination.transcoderReleased(new TranscoderKey("acme", "q-d3"),
        new Cancellation("rel-2", "TranscoderReleased", DEMANDED_AT.plusSeconds(5)));
    assertThat(intents.leaveStopped(stopped("q-d3", "q", DEMANDED_AT))).isTrue();
  }
}
