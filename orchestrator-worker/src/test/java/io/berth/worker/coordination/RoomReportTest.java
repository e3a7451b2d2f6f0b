package io.berth.worker.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The room report record: which pass of which host publishes a room's state, and when. */
class RoomReportTest {
  private static final Duration SETTLE = Duration.ofSeconds(2);
  private static final Duration UNCONFIRMED = Duration.ofSeconds(10);
  private static final RoomCounts FIVE_PENDING = new RoomCounts(5, 0, 5);
  private static final RoomCounts DONE = new RoomCounts(5, 5, 0);

  @TempDir
  Path stateDir;
  private final Instant[] now = {Instant.parse("2026-12-01T10:00:00Z")};
  private final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now[0];
    }
  };
  private LocalCoordination coordination;

  @BeforeEach
  void open() {
    coordination = LocalCoordination.open(stateDir, "host-a", clock, Duration.ofHours(1));
  }

  @AfterEach
  void close() {
    coordination.close();
  }

  private Optional<RoomReport> pass(String demand, RoomCounts counts) {
    return coordination.reportDue("acme", "r", demand, counts, SETTLE, UNCONFIRMED);
  }

  private void advance(int seconds) {
    now[0] = now[0].plusSeconds(seconds);
  }

  @Test
  void aStateIsReportedOnceAfterItHeldForTheSettleTime() {
    assertThat(pass("d1", FIVE_PENDING)).isEmpty();
    advance(1);
    assertThat(pass("d1", FIVE_PENDING)).as("not settled yet").isEmpty();
    advance(1);
    assertThat(pass("d1", FIVE_PENDING)).contains(new RoomReport("d1", 1, FIVE_PENDING));
    assertThat(pass("d1", FIVE_PENDING)).as("reported already").isEmpty();
  }

  @Test
  void aChangeThatDoesNotHoldIsNotReported() {
    pass("d1", FIVE_PENDING);
    advance(1);
    pass("d1", new RoomCounts(5, 2, 0));
    advance(1);
    assertThat(pass("d1", DONE)).isEmpty();
    advance(2);
    assertThat(pass("d1", DONE)).contains(new RoomReport("d1", 1, DONE));
  }

  @Test
  void anUnconfirmedReportIsPublishedAgainWithItsNumberAndAConfirmedOneIsNot() {
    pass("d1", DONE);
    advance(2);
    RoomReport first = pass("d1", DONE).orElseThrow();
    advance(11);
    assertThat(pass("d1", DONE)).as("its publisher died before the confirm").contains(first);
    coordination.reportConfirmed("acme", "r", first);
    advance(11);
    assertThat(pass("d1", DONE)).isEmpty();
  }

  @Test
  void theReportGoesWhenItsDemandOfZeroIsForgotten() {
    RoomCounts none = new RoomCounts(0, 0, 0);
    coordination.demandChanged("acme", "r", new Demand(0, null, null, now[0], "close", "RoomClosed"));
    pass("close", none);
    advance(2);
    coordination.reportConfirmed("acme", "r", pass("close", none).orElseThrow());
    advance(2 * 3600); // past the cancellation window: the next recording prunes
    coordination.demandChanged("acme", "other", new Demand(1, null, null, now[0], "d9", "RoomDemandChanged"));
    assertThat(coordination.demand("acme", "r")).isEmpty();
    // A report record left behind would say 0/0/0 was reported already; a fresh one reports it as its first.
    pass("close", none);
    advance(2);
    assertThat(pass("close", none)).contains(new RoomReport("close", 1, none));
  }

  @Test
  void eachChangeIsTheNextReportAndANewDemandCountsFromOneAgain() {
    pass("d1", FIVE_PENDING);
    advance(2);
    coordination.reportConfirmed("acme", "r", pass("d1", FIVE_PENDING).orElseThrow());
    pass("d1", DONE);
    advance(2);
    assertThat(pass("d1", DONE)).contains(new RoomReport("d1", 2, DONE));
    RoomCounts two = new RoomCounts(2, 5, 0);
    pass("d2", two);
    advance(2);
    assertThat(pass("d2", two)).contains(new RoomReport("d2", 1, two));
  }
}
