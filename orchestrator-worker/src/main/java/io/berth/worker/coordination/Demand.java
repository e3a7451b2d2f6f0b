package io.berth.worker.coordination;

import io.berth.events.Contract;
import io.berth.events.Resources;
import io.berth.events.RoomDemandChanged;
import java.time.Instant;
import java.util.Objects;

/**
 * A room's demand in force: how many demand-managed transcoders it should have, with what, and the command that said
 * so. Ordered by {@code at} (the command's CloudEvents time), as every intent is.
 *
 * @param image     null: the worker's default image
 * @param resources null: the worker's default limits
 * @param commandType {@code RoomDemandChanged}, or {@code RoomClosed} (a close is a demand of 0 as of its time)
 */
public record Demand(int transcoders, String image, Resources resources, Instant at, String commandId,
    String commandType) {

  public Demand {
    if (transcoders < 0 || transcoders > Contract.MAX_ROOM_TRANSCODERS) {
      throw new IllegalArgumentException("transcoders must be between 0 and " + Contract.MAX_ROOM_TRANSCODERS
          + " (got " + transcoders + ")");
    }
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(commandType, "commandType");
  }

  /** The demand a {@code RoomDemandChanged} states. */
  public static Demand of(RoomDemandChanged command, String commandId, Instant at) {
    return new Demand(command.transcoders(), command.image(), command.resources(), at, commandId,
        io.berth.events.EventType.ROOM_DEMAND_CHANGED.typeName());
  }

  /** What a room close means for the room's demand: none, as of the close. */
  public static Demand closed(Cancellation roomClosed) {
    return new Demand(0, null, null, roomClosed.at(), roomClosed.commandId(), roomClosed.commandType());
  }

  /**
   * The {@code demandId} a {@code RoomDemandStatus} reports: this demand's command, unless a room close set it (the
   * status then has none, and its causation is the close).
   */
  public String demandId() {
    return io.berth.events.EventType.ROOM_DEMAND_CHANGED.typeName().equals(commandType) ? commandId : null;
  }
}
