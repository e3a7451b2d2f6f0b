package io.berth.worker.demand;

import io.berth.worker.provisioning.TranscoderKey;
import java.util.Objects;
import java.util.Optional;

/**
 * One of a room's demand transcoders where it stands now.
 *
 * @param k           its index among the room's demand transcoders ({@link io.berth.events.DemandIds#index})
 * @param holder      the host holding it now (fleet: a live owner; single host: the worker whose container it is);
 *                    empty for an orphan whose host died
 * @param running     placed and running: kept with a live holder (fleet: kept only once ready), or a running container
 * @param containerId its container as last known, if any (names one removal of it)
 */
public record Placed(int k, TranscoderKey key, Optional<String> holder, boolean running, Optional<String> containerId) {
  public Placed {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(containerId, "containerId");
  }

  /** Kept by the fleet but held by no live host: {@code FleetHealer} brings it back, or the loop lets it go. */
  public boolean orphaned() {
    return holder.isEmpty();
  }
}
