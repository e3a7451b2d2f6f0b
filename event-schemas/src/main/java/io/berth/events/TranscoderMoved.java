package io.berth.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Lifecycle: a fleet brought the transcoder back on another host, on the same address, because its host was lost. A
 * {@code TranscoderStarted} with the new {@code hostId} follows once it is ready.
 *
 * @param fromHostId the host that held it
 * @param toHostId the host that holds it now
 * @param ipAddress its address, the same as before the move
 */
public record TranscoderMoved(
    String tenantId,
    String transcoderId,
    String roomId,
    String fromHostId,
    String toHostId,
    String ipAddress,
    Reason reason) implements LifecycleData {

  /** Why it moved. */
  public enum Reason {
    /** The host's lease in the fleet expired: it died, or was cut off and fenced itself. */
    HOST_LOST("host-lost");

    private final String value;

    Reason(String value) {
      this.value = value;
    }

    @JsonValue
    public String value() {
      return value;
    }

    @JsonCreator
    public static Reason fromValue(String value) {
      for (Reason r : values()) {
        if (r.value.equals(value)) {
          return r;
        }
      }
      throw new IllegalArgumentException("reason must be host-lost");
    }
  }

  public TranscoderMoved {
    Identifiers.require("tenantId", tenantId);
    Identifiers.require("transcoderId", transcoderId);
    Identifiers.require("roomId", roomId);
    Identifiers.require("fromHostId", fromHostId);
    Identifiers.require("toHostId", toHostId);
    Checks.required("ipAddress", ipAddress);
    Checks.required("reason", reason);
  }
}
