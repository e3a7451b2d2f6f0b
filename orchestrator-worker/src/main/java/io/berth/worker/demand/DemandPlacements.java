package io.berth.worker.demand;

import java.util.List;

/**
 * Where a room's demand transcoders are, read once per pass of the {@link DemandConverger}, so the loop does not
 * branch on the mode: {@link FleetDemandPlacements} (etcd's owners and kept specs) or {@link LocalDemandPlacements}
 * (one engine's containers and their labels).
 */
public interface DemandPlacements {

  /** One consistent-enough read of every placement: a pass works on it, the next pass reads again. */
  Snapshot read();

  interface Snapshot {
    /** The room's demand transcoders (ids of its demand form only), any k, in no particular order. */
    List<Placed> placed(String tenantId, String roomId);
  }
}
