package io.berth.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why a transcoder was stopped; the wire value names the command that caused it, or its removal outside Berth. */
public enum StopReason {
  RELEASED("released"),
  ROOM_CLOSED("room-closed"),
  TENANT_SUSPENDED("tenant-suspended"),
  /** Its container was removed outside Berth (e.g. {@code docker rm -f}); Berth does not recreate it. */
  REMOVED_EXTERNALLY("removed-externally"),
  /** A demand-managed transcoder removed because its room's demand went down (the highest k first). */
  SCALED_DOWN("scaled-down");

  private final String value;

  StopReason(String value) {
    this.value = value;
  }

  /** The serialized form, as listed in the JSON Schema enum. */
  @JsonValue
  public String value() {
    return value;
  }

  @JsonCreator
  public static StopReason fromValue(String value) {
    for (StopReason r : values()) {
      if (r.value.equals(value)) {
        return r;
      }
    }
    throw new IllegalArgumentException("reason must be one of released, room-closed, tenant-suspended, removed-externally, scaled-down");
  }
}
