package io.berth.events;

/**
 * Command: the room should have exactly {@code transcoders} demand-managed transcoders, fleet-wide. Broadcast to every
 * worker; the latest demand per room (CloudEvents {@code time}, then arrival) wins and is kept with the desired state.
 * Its transcoders are named by {@link DemandIds}.
 *
 * @param transcoders how many, 0 to {@link Contract#MAX_ROOM_TRANSCODERS}; 0 removes every demand-managed one
 * @param image       container image for the room's demand transcoders; null means the worker's configured default
 * @param resources   CPU/memory limits for each of them; null means the worker's configured defaults
 */
public record RoomDemandChanged(
    String tenantId,
    String roomId,
    int transcoders,
    @Nullable String image,
    @Nullable Resources resources) implements CommandData {

  public RoomDemandChanged {
    Identifiers.require("tenantId", tenantId);
    Identifiers.require("roomId", roomId);
    Checks.between("transcoders", transcoders, 0, Contract.MAX_ROOM_TRANSCODERS);
    Checks.optionalText("image", image);
  }
}
