package io.berth.worker.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.worker.provisioning.TranscoderKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The intent rules, on the single-host store, and that they survive a restart of the worker. */
class LocalCoordinationTest {
  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");
  private static final Duration KEEP = Duration.ofHours(1);
  private final TranscoderKey key = new TranscoderKey("acme", "tx-1");
  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  @TempDir
  Path dir;

  private LocalCoordination open(Clock at) {
    return LocalCoordination.open(dir, "host-a", at, KEEP);
  }

  @Test
  void releaseCancelsRequestsIssuedUpToItsTime() {
    try (LocalCoordination c = open(clock)) {
      c.transcoderReleased(key, new Cancellation("rel-1", "TranscoderReleased", T0));
      assertThat(c.cancelling(key, "room", T0.minusSeconds(1))).isPresent();
      assertThat(c.cancelling(key, "room", T0)).isPresent();
      assertThat(c.cancelling(key, "room", T0.plusMillis(1))).as("a later request is a new life").isEmpty();
      assertThat(c.cancelling(new TranscoderKey("acme", "tx-2"), "room", T0)).isEmpty();
    }
  }

  @Test
  void roomCloseCancelsEveryTranscoderOfTheRoomAndTheNewerCancellationWins() {
    try (LocalCoordination c = open(clock)) {
      c.roomClosed("acme", "room-1", new Cancellation("close-2", "RoomClosed", T0));
      c.roomClosed("acme", "room-1", new Cancellation("close-1", "RoomClosed", T0.minusSeconds(60)));
      assertThat(c.cancelling(key, "room-1", T0.minusSeconds(5))).get()
          .extracting(Cancellation::commandId).isEqualTo("close-2");
      assertThat(c.cancelling(key, "room-2", T0.minusSeconds(5))).isEmpty();
    }
  }

  @Test
  void oldCancellationsExpire() {
    try (LocalCoordination c = open(Clock.fixed(T0.plus(Duration.ofHours(2)), ZoneOffset.UTC))) {
      c.transcoderReleased(key, new Cancellation("rel-1", "TranscoderReleased", T0));
      assertThat(c.cancelling(key, "room", T0.minusSeconds(1))).isEmpty();
    }
  }

  @Test
  void suspensionsAreOrderedByCommandTimeNotArrival() {
    try (LocalCoordination c = open(clock)) {
      c.tenantSuspended("acme", T0);
      c.tenantResumed("acme", T0.minusSeconds(1)); // an older resume arriving late
      assertThat(c.isSuspended("acme")).isTrue();
      c.tenantResumed("acme", T0.plusSeconds(1));
      assertThat(c.isSuspended("acme")).isFalse();
      c.tenantSuspended("acme", T0.minusSeconds(10)); // an older suspension arriving late
      assertThat(c.isSuspended("acme")).isFalse();
      assertThat(c.isSuspended("other")).isFalse();
    }
  }

  @Test
  void intentsSurviveARestartOfTheWorker() {
    try (LocalCoordination c = open(clock)) {
      c.tenantSuspended("acme", T0);
      c.transcoderReleased(key, new Cancellation("rel-1", "TranscoderReleased", T0));
      c.crashLooped(new TranscoderKey("acme", "tx-9"));
    }
    try (LocalCoordination c = open(clock)) {
      assertThat(c.isSuspended("acme")).isTrue();
      assertThat(c.cancelling(key, "room", T0)).get().extracting(Cancellation::commandId).isEqualTo("rel-1");
      assertThat(c.isCrashLooped(new TranscoderKey("acme", "tx-9"))).isTrue();
      c.clearCrashLoop(new TranscoderKey("acme", "tx-9"));
    }
    try (LocalCoordination c = open(clock)) {
      assertThat(c.isCrashLooped(new TranscoderKey("acme", "tx-9"))).isFalse();
    }
  }

  @Test
  void concurrentWritersMergeInsteadOfOverwriting() throws Exception {
    try (LocalCoordination c = open(clock)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      for (int i = 0; i < 200; i++) {
        Instant at = T0.plusSeconds(i);
        pool.execute(() -> c.transcoderReleased(key, new Cancellation("rel-" + at.getEpochSecond(), "TranscoderReleased", at)));
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      assertThat(c.cancelling(key, "room", T0).orElseThrow().at()).isEqualTo(T0.plusSeconds(199));
    }
  }

  @Test
  void aSecondWorkerWithTheSameHostIdIsRefused() {
    try (LocalCoordination first = open(clock)) {
      assertThatThrownBy(() -> open(clock))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another worker with host id 'host-a'");
    }
  }

  @Test
  void placementIsTheEngineItself() {
    try (LocalCoordination c = open(clock)) {
      assertThat(c.claim(key)).isEmpty();
      assertThat(c.reserveAddress("198.51.100.40", key)).isTrue();
      assertThat(c.orphans()).isEmpty();
      assertThat(c.mode()).isEqualTo("single-host");
    }
  }

  @Test
  void aCommandsFirstAnswerStandsAcrossRestartsUntilTheWindowEnds() {
    io.berth.events.TranscoderStarted started = new io.berth.events.TranscoderStarted("acme", "tx-1", "room", "host-a",
        "c1", "berth-acme-tx-1", "net", "198.51.100.10");
    io.berth.events.ProvisioningFailed cancelled = new io.berth.events.ProvisioningFailed("acme", "tx-1", "host-a",
        "cancelled", "cancelled by TranscoderReleased", false);
    try (LocalCoordination c = open(clock)) {
      assertThat(c.outcome("TranscoderRequested/acme/tx-1", "req-1")).isEmpty();
      assertThat(c.recordOutcome("TranscoderRequested/acme/tx-1", "req-1", java.util.List.of(started))).containsExactly(started);
      assertThat(c.recordOutcome("TranscoderRequested/acme/tx-1", "req-1", java.util.List.of(cancelled)))
          .as("the first answer stands").containsExactly(started);
      assertThat(c.outcome("TranscoderReleased/acme/tx-2", "req-1")).as("an id reused for another command is not"
          + " its answer").isEmpty();
    }
    try (LocalCoordination c = open(clock)) {
      assertThat(c.outcome("TranscoderRequested/acme/tx-1", "req-1")).as("after a restart").contains(java.util.List.of(started));
    }
    // An hour later a new cancellation prunes what is past the window.
    try (LocalCoordination c = open(Clock.fixed(T0.plus(Duration.ofHours(2)), ZoneOffset.UTC))) {
      c.transcoderReleased(key, new Cancellation("rel-9", "TranscoderReleased", T0.plus(Duration.ofHours(2))));
      assertThat(c.outcome("TranscoderRequested/acme/tx-1", "req-1")).isEmpty();
    }
  }

  // ---- room demand ----

  private static Demand demand(int transcoders, Instant at, String commandId) {
    return new Demand(transcoders, null, null, at, commandId, "RoomDemandChanged");
  }

  @Test
  void theNewerDemandWinsWhateverOrderTheyArriveIn() {
    try (LocalCoordination c = open(clock)) {
      assertThat(c.demand("acme", "room-1")).isEmpty();
      assertThat(c.demandChanged("acme", "room-1", demand(5, T0, "d-5"))).extracting(Demand::transcoders).isEqualTo(5);
      assertThat(c.demandChanged("acme", "room-1", demand(2, T0.minusSeconds(1), "d-2")))
          .as("an older demand arriving late").extracting(Demand::commandId).isEqualTo("d-5");
      assertThat(c.demand("acme", "room-1")).get().extracting(Demand::transcoders).isEqualTo(5);
      c.demandChanged("acme", "room-1", demand(7, T0.plusMillis(1), "d-7"));
      assertThat(c.demand("acme", "room-1")).get().extracting(Demand::transcoders).isEqualTo(7);
      assertThat(c.demand("acme", "room-2")).as("per room").isEmpty();
      assertThat(c.demand("other", "room-1")).as("per tenant").isEmpty();
    }
  }

  @Test
  void atEqualTimeTheLaterArrivalWinsAndARedeliveryIsNoArrival() {
    try (LocalCoordination c = open(clock)) {
      c.demandChanged("acme", "room-1", demand(3, T0, "a"));
      c.demandChanged("acme", "room-1", demand(4, T0, "b"));
      assertThat(c.demand("acme", "room-1")).get().extracting(Demand::commandId).isEqualTo("b");
      c.demandChanged("acme", "room-1", demand(3, T0, "a")); // "a" again: redelivered after a lost ack
      assertThat(c.demand("acme", "room-1")).get().extracting(Demand::commandId).isEqualTo("b");
      c.demandChanged("acme", "room-1", demand(1, T0, "c"));
      assertThat(c.demand("acme", "room-1")).get().extracting(Demand::transcoders).isEqualTo(1);
    }
  }

  @Test
  void aRoomCloseIsADemandOfZeroAsOfItsTime() {
    try (LocalCoordination c = open(clock)) {
      c.demandChanged("acme", "room-1", demand(4, T0.minusSeconds(10), "d-4"));
      c.roomClosed("acme", "room-1", new Cancellation("close-1", "RoomClosed", T0));
      Demand closed = c.demand("acme", "room-1").orElseThrow();
      assertThat(closed.transcoders()).isZero();
      assertThat(closed.commandId()).isEqualTo("close-1");
      assertThat(closed.demandId()).as("a status after a close names no demand").isNull();
      assertThat(c.demandChanged("acme", "room-1", demand(6, T0.minusSeconds(1), "d-6")))
          .as("older than the close: the room stays closed").extracting(Demand::transcoders).isEqualTo(0);
      c.demandChanged("acme", "room-1", demand(2, T0.plusSeconds(1), "d-2"));
      assertThat(c.demand("acme", "room-1")).as("opened again").get().extracting(Demand::demandId).isEqualTo("d-2");
      // a room that never had a demand gets its 0 as well: an older demand arriving after the close is held back
      c.roomClosed("acme", "room-9", new Cancellation("close-9", "RoomClosed", T0));
      c.demandChanged("acme", "room-9", demand(3, T0.minusSeconds(5), "d-late"));
      assertThat(c.demand("acme", "room-9")).get().extracting(Demand::transcoders).isEqualTo(0);
    }
  }

  @Test
  void demandsSurviveARestartAndAreListedForTheConvergenceLoop() {
    io.berth.events.Resources resources = new io.berth.events.Resources(1.5, 2048);
    Demand withSpec = new Demand(3, "registry.example.com/wcs:5.2", resources, T0, "d-1", "RoomDemandChanged");
    try (LocalCoordination c = open(clock)) {
      c.demandChanged("acme", "room-1", withSpec);
      c.demandChanged("acme", "room-2", demand(0, T0, "d-2"));
      c.demandChanged("beta", "room-1", demand(64, T0, "d-3"));
    }
    try (LocalCoordination c = open(clock)) {
      assertThat(c.demand("acme", "room-1")).contains(withSpec);
      assertThat(c.demands()).containsExactlyInAnyOrder(
          new RoomDemand("acme", "room-1", withSpec),
          new RoomDemand("acme", "room-2", demand(0, T0, "d-2")),
          new RoomDemand("beta", "room-1", demand(64, T0, "d-3")));
      // the tie record survives too: a redelivery after the restart is still no new arrival
      c.demandChanged("acme", "room-1", demand(9, T0, "d-9"));
      c.demandChanged("acme", "room-1", withSpec);
      assertThat(c.demand("acme", "room-1")).get().extracting(Demand::commandId).isEqualTo("d-9");
    }
  }

  @Test
  void aDemandOfZeroIsForgottenAfterTheWindowAndOthersAreKept() {
    try (LocalCoordination c = open(clock)) {
      c.demandChanged("acme", "closed", demand(0, T0, "d-0"));
      c.demandChanged("acme", "busy", demand(2, T0, "d-2"));
    }
    // Two hours on, any new intent prunes what is past the window.
    try (LocalCoordination c = open(Clock.fixed(T0.plus(Duration.ofHours(2)), ZoneOffset.UTC))) {
      c.demandChanged("acme", "other", demand(1, T0.plus(Duration.ofHours(2)), "d-new"));
      assertThat(c.demand("acme", "closed")).isEmpty();
      assertThat(c.demand("acme", "busy")).as("a standing demand never expires").isPresent();
      assertThat(c.demands()).extracting(RoomDemand::roomId).containsExactlyInAnyOrder("busy", "other");
    }
  }

  @Test
  void concurrentDemandsForOneRoomEndAtTheNewest() throws Exception {
    try (LocalCoordination c = open(clock)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      for (int i = 0; i < 200; i++) {
        int n = i;
        pool.execute(() -> c.demandChanged("acme", "room-1", demand(n % 65, T0.plusMillis(n), "d-" + n)));
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      assertThat(c.demand("acme", "room-1")).get().extracting(Demand::commandId).isEqualTo("d-199");
    }
  }

  @Test
  void aDemandIsBounded() {
    assertThatThrownBy(() -> demand(65, T0, "d")).hasMessage("transcoders must be between 0 and 64 (got 65)");
    assertThatThrownBy(() -> demand(-1, T0, "d")).hasMessageStartingWith("transcoders must be");
  }
}
