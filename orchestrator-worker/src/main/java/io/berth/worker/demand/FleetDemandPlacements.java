package io.berth.worker.demand;

import io.berth.events.DemandIds;
import io.berth.worker.coordination.EtcdCoordination;
import io.berth.worker.coordination.KeptTranscoder;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A fleet's placements from etcd: owners (live holders, bound to their leases) joined with kept specs. A claimed id
 * without a spec is being provisioned by its holder; a spec without an owner is an orphan. Running = kept (written
 * after readiness) with a live holder.
 */
public final class FleetDemandPlacements implements DemandPlacements {
  private final EtcdCoordination coordination;

  public FleetDemandPlacements(EtcdCoordination coordination) {
    this.coordination = coordination;
  }

  @Override
  public Snapshot read() {
    List<EtcdCoordination.Placement> all = coordination.placements();
    return (tenantId, roomId) -> {
      List<Placed> placed = new ArrayList<>();
      for (EtcdCoordination.Placement p : all) {
        if (!p.key().tenantId().equals(tenantId) || !p.kept().map(KeptTranscoder::roomId).orElse(roomId)
            .equals(roomId)) {
          continue;
        }
        OptionalInt k = DemandIds.index(roomId, p.key().transcoderId());
        if (k.isPresent()) {
          placed.add(new Placed(k.getAsInt(), p.key(), p.holder(), p.kept().isPresent() && p.holder().isPresent(),
              p.kept().map(KeptTranscoder::containerId)));
        }
      }
      return placed;
    };
  }
}
