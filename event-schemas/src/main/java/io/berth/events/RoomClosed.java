package io.berth.events;

/** Command: a room ended; stop every transcoder of that room. */
public record RoomClosed(String tenantId, String roomId) implements CommandData {

  public RoomClosed {
    Identifiers.require("tenantId", tenantId);
    Identifiers.require("roomId", roomId);
  }
}
