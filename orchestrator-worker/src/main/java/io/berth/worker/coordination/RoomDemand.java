package io.berth.worker.coordination;

import java.util.Objects;

/** One room's demand, as {@link Coordination#demands()} lists them for the convergence loop. */
public record RoomDemand(String tenantId, String roomId, Demand demand) {
  public RoomDemand {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(demand, "demand");
  }
}
