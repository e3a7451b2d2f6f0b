package io.berth.events;

import java.util.Objects;

/**
 * A message that Berth refuses. The message names the JSON path of each problem; values echoed
 * from the input are clipped and escaped (see {@link Sanitizer}), so it is safe to log and to put
 * into {@code CommandRejected.message} and the {@code x-berth-reason} header.
 */
public final class RejectedEventException extends Exception {

  private final RejectionCode code;
  private final String eventId;
  private final String eventType;

  public RejectedEventException(RejectionCode code, String message, String eventId, String eventType) {
    // no stack trace: rejections are expected input, and a flood of them should stay cheap
    super(Objects.requireNonNull(message, "message"), null, false, false);
    this.code = Objects.requireNonNull(code, "code");
    this.eventId = eventId;
    this.eventType = eventType;
  }

  public RejectionCode code() {
    return code;
  }

  /** The message's {@code id} attribute if it could be read (a 1-256 char string), else null. */
  public String eventId() {
    return eventId;
  }

  /** The message's {@code type} attribute if it could be read (even an unknown one), else null. */
  public String eventType() {
    return eventType;
  }

  @Override
  public String toString() {
    return "RejectedEventException[" + code.code() + "] " + getMessage();
  }
}
