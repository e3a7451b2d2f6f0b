package io.berth.worker.demand;

import io.berth.events.DemandIds;
import io.berth.worker.docker.DockerGateway;
import io.berth.worker.docker.ManagedContainer;
import io.berth.worker.provisioning.TranscoderKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One host alone: the engine's containers are the placements (one list call per pass), their labels say which room,
 * which k and which worker holds them. Every worker on the engine counts, so two workers sharing one engine see the
 * same room and do not place it twice (the container name is the claim).
 */
public final class LocalDemandPlacements implements DemandPlacements {
  private final DockerGateway docker;

  public LocalDemandPlacements(DockerGateway docker) {
    this.docker = docker;
  }

  @Override
  public Snapshot read() {
    List<ManagedContainer> all = docker.listManaged();
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
