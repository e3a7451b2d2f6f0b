package io.berth.worker.demand;

import io.berth.events.DemandIds;
import io.berth.worker.docker.ManagedContainer;
import io.berth.worker.provisioning.TranscoderKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * One host alone: the engine's containers are the placements (read from the informer's copy), their labels say which room,
 * which k and which worker holds them. Every worker on the engine counts, so two workers sharing one engine see the
 * same room and do not place it twice (the container name is the claim).
 */
public final class LocalDemandPlacements implements DemandPlacements {
  private final Supplier<List<ManagedContainer>> containers;

  /** @param containers every Berth container of the engine, e.g. the informer's copy */
  public LocalDemandPlacements(Supplier<List<ManagedContainer>> containers) {
    this.containers = containers;
  }

  @Override
  public Snapshot read() {
    List<ManagedContainer> all = containers.get();
    return (tenantId, roomId) -> {
      List<Placed> placed = new ArrayList<>();
      for (ManagedContainer c : all) {
        if (!tenantId.equals(c.tenantId()) || !roomId.equals(c.roomId())) {
          continue;
        }
        OptionalInt k = DemandIds.index(roomId, c.transcoderId());
        if (k.isPresent()) {
          placed.add(new Placed(k.getAsInt(), TranscoderKey.of(c), Optional.of(c.hostId()), c.isRunning(),
              Optional.of(c.id())));
        }
      }
      return placed;
    };
  }
}
