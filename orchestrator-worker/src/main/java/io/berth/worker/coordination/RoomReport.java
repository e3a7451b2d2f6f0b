package io.berth.worker.coordination;

import java.util.Objects;

/**
 * A room report to publish: the counts, under the demand {@code demandCommandId}, as its {@code seq}-th report (the
 * occurrence in the event's id, so the same report sent again, by any host, keeps its id).
 */
public record RoomReport(String demandCommandId, int seq, RoomCounts counts) {
  public RoomReport {
    Objects.requireNonNull(demandCommandId, "demandCommandId");
    Objects.requireNonNull(counts, "counts");
  }
}
