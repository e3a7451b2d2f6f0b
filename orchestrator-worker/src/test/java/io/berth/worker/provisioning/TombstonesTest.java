package io.berth.worker.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TombstonesTest {
  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");
  private final TranscoderKey key = new TranscoderKey("acme", "tx-1");

  @Test
  void releaseCancelsRequestsIssuedUpToItsTime() {
    Tombstones t = new Tombstones(Clock.fixed(T0, ZoneOffset.UTC), Duration.ofHours(1));
    t.transcoderReleased(key, new Tombstones.Cancellation("rel-1", "TranscoderReleased", T0));
    assertThat(t.cancelling(key, "room", T0.minusSeconds(1))).isPresent();
    assertThat(t.cancelling(key, "room", T0)).isPresent();
    assertThat(t.cancelling(key, "room", T0.plusMillis(1))).as("a later request is a new life").isEmpty();
    assertThat(t.cancelling(new TranscoderKey("acme", "tx-2"), "room", T0)).isEmpty();
  }

  @Test
  void roomCloseCancelsEveryTranscoderOfTheRoom() {
    Tombstones t = new Tombstones(Clock.fixed(T0, ZoneOffset.UTC), Duration.ofHours(1));
    t.roomClosed("acme", "room-1", new Tombstones.Cancellation("close-1", "RoomClosed", T0));
    assertThat(t.cancelling(key, "room-1", T0.minusSeconds(5))).get()
        .extracting(Tombstones.Cancellation::commandId).isEqualTo("close-1");
    assertThat(t.cancelling(key, "room-2", T0.minusSeconds(5))).isEmpty();
  }

  @Test
  void oldTombstonesExpire() {
    Clock later = Clock.fixed(T0.plus(Duration.ofHours(2)), ZoneOffset.UTC);
    Tombstones t = new Tombstones(later, Duration.ofHours(1));
    t.transcoderReleased(key, new Tombstones.Cancellation("rel-1", "TranscoderReleased", T0));
    assertThat(t.cancelling(key, "room", T0.minusSeconds(1))).isEmpty();
  }
}
