package io.berth.events;

/**
 * Lifecycle: a demand-managed room's state, published once each time it changes, so an autoscaler sees unmet demand
 * without counting transcoders. Every host computes it from the fleet's shared state; which host reports it does not
 * matter, so {@code hostId} is left out of its lifecycle id ({@link LifecycleIds}).
 *
 * @param desired  the room's demand in force ({@link RoomDemandChanged#transcoders()}; 0 after a {@code RoomClosed})
 * @param running  its demand-managed transcoders running and ready, fleet-wide (more than {@code desired} for a while
 *                 when scaling down)
 * @param pending  those of the {@code desired} that no host holds, because none could take them (no capacity, no free
 *                 address): they wait and are placed as soon as capacity appears
 * @param hostId   the host that reports it
 * @param demandId id of the {@code RoomDemandChanged} in force; null when a {@code RoomClosed} set the demand to 0
 */
public record RoomDemandStatus(
    String tenantId,
    String roomId,
    int desired,
    int running,
    int pending,
    String hostId,
    @Nullable String demandId) implements LifecycleData {

  public RoomDemandStatus {
    Identifiers.require("tenantId", tenantId);
    Identifiers.require("roomId", roomId);
    Checks.between("desired", desired, 0, Contract.MAX_ROOM_TRANSCODERS);
    // only k < 64 are ever demand transcoders, so no more can run
    Checks.between("running", running, 0, Contract.MAX_ROOM_TRANSCODERS);
    Checks.between("pending", pending, 0, desired);
    Identifiers.require("hostId", hostId);
    Checks.optionalText("demandId", demandId);
    if (demandId != null && demandId.length() > CloudEvent.MAX_ID_LENGTH) {
      throw new IllegalArgumentException("demandId must be at most " + CloudEvent.MAX_ID_LENGTH + " characters");
    }
  }
}
