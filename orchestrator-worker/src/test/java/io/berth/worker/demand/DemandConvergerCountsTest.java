package io.berth.worker.demand;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.worker.coordination.Demand;
import io.berth.worker.coordination.RoomCounts;
import io.berth.worker.provisioning.TranscoderKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** desired, running and pending of a room, from where its demand transcoders are. */
class DemandConvergerCountsTest {
  private static Demand demand(int n) {
    return new Demand(n, null, null, Instant.parse("2026-12-01T10:00:00Z"), "d", "RoomDemandChanged");
  }

  private static Placed placed(int k, String holder, boolean running) {
    return new Placed(k, new TranscoderKey("acme", "r-d" + k), Optional.ofNullable(holder), running, Optional.empty());
  }

  @Test
  void unplacedAndOrphanedIdsBelowTheDemandArePendingAndStartingOnesAreNot() {
    List<Placed> placed = List.of(placed(0, "h1", true), placed(1, "h2", false), placed(2, null, false));
    // k=1 is claimed and starting; k=2's host died; k=3, k=4 were never placed
    assertThat(DemandConverger.counts(demand(5), placed)).isEqualTo(new RoomCounts(5, 1, 3));
  }

  @Test
  void transcodersAboveTheDemandRunUntilRemovedAndAreNeverPending() {
    List<Placed> placed = List.of(placed(0, "h1", true), placed(1, "h1", true), placed(4, "h2", true));
    assertThat(DemandConverger.counts(demand(2), placed)).isEqualTo(new RoomCounts(2, 3, 0));
    assertThat(DemandConverger.counts(demand(0), placed)).isEqualTo(new RoomCounts(0, 3, 0));
  }
}
