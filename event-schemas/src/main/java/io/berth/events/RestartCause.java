package io.berth.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why a container was restarted. */
public enum RestartCause {
  REQUESTED("requested"),
  CRASHED("crashed");

  private final String value;

  RestartCause(String value) {
    this.value = value;
  }

  /** The serialized form, as listed in the JSON Schema enum. */
  @JsonValue
  public String value() {
    return value;
  }

  @JsonCreator
  public static RestartCause fromValue(String value) {
    for (RestartCause c : values()) {
      if (c.value.equals(value)) {
        return c;
      }
    }
    throw new IllegalArgumentException("cause must be one of requested, crashed");
  }
}
