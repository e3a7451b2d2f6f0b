package io.berth.events;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Objects;

/**
 * A Berth message: CloudEvents 1.0 attributes plus typed {@code data}. The constructor enforces
 * the same rules as {@code /schemas/cloudevent.json}, so anything constructed here encodes to a
 * message every Berth decoder accepts.
 *
 * @param causationid for lifecycle events, the id of the command that caused them; null otherwise
 */
public record CloudEvent<T extends EventData>(
    String specversion,
    String id,
    String source,
    String type,
    Instant time,
    String datacontenttype,
    @Nullable String causationid,
    T data) {

  /** Limits shared with the envelope schema; they keep ids sane for logs and headers. */
  public static final int MAX_ID_LENGTH = 256;
  public static final int MAX_SOURCE_LENGTH = 1024;

  public CloudEvent {
    if (!Contract.SPEC_VERSION.equals(specversion)) {
      throw new IllegalArgumentException("specversion must be \"" + Contract.SPEC_VERSION + "\"");
    }
    requireLength("id", id, MAX_ID_LENGTH);
    requireLength("source", source, MAX_SOURCE_LENGTH);
    if (!isUriReference(source)) {
      throw new IllegalArgumentException("source must be a URI-reference");
    }
    Checks.required("time", time);
    if (!Contract.DATA_CONTENT_TYPE.equals(datacontenttype)) {
      throw new IllegalArgumentException(
          "datacontenttype must be \"" + Contract.DATA_CONTENT_TYPE + "\"");
    }
    if (causationid != null) {
      requireLength("causationid", causationid, MAX_ID_LENGTH);
    }
    Checks.required("data", data);
    String expected = EventType.of(data).typeName();
    if (!expected.equals(type)) {
      throw new IllegalArgumentException("type must be \"" + expected + "\" for "
          + data.getClass().getSimpleName() + " data");
    }
  }

  /** A command with no causation; {@code id} is the publisher's (unique) message id. */
  public static <T extends CommandData> CloudEvent<T> command(String id, String source, Instant time, T data) {
    Checks.required("data", data);
    return new CloudEvent<>(Contract.SPEC_VERSION, id, source, EventType.of(data).typeName(),
        time, Contract.DATA_CONTENT_TYPE, null, data);
  }

  /**
   * A lifecycle event. Its id is derived from the causing command and the outcome (see
   * {@link LifecycleIds}), so a worker that redoes a command after a crash republishes the same id.
   */
  public static <T extends LifecycleData> CloudEvent<T> lifecycle(
      String source, String causationId, Instant time, T data) {
    return lifecycle(source, causationId, null, time, data);
  }

  /** A lifecycle event that its command causes more than once: see {@link LifecycleIds#of(String, String, LifecycleData)}. */
  public static <T extends LifecycleData> CloudEvent<T> lifecycle(
      String source, String causationId, String occurrence, Instant time, T data) {
    Checks.required("data", data);
    return new CloudEvent<>(Contract.SPEC_VERSION, LifecycleIds.of(causationId, occurrence, data), source,
        EventType.of(data).typeName(), time, Contract.DATA_CONTENT_TYPE, causationId, data);
  }

  public EventType eventType() {
    return EventType.of(data);
  }

  /** Short and log-safe: attributes only (escaped, clipped), never the data. */
  @Override
  public String toString() {
    return "CloudEvent[type=" + type + ", id=" + Sanitizer.quote(id)
        + (causationid == null ? "" : ", causationid=" + Sanitizer.quote(causationid))
        + ", source=" + Sanitizer.quote(source) + ", time=" + time + "]";
  }

  private static void requireLength(String field, String value, int max) {
    Checks.text(field, value);
    if (value.length() > max) {
      throw new IllegalArgumentException(field + " must be at most " + max + " characters");
    }
  }

  /** RFC 3986 is ASCII-only; java.net.URI alone would also accept other Unicode letters. */
  static boolean isUriReference(String value) {
    Objects.requireNonNull(value);
    if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return false;
    }
    try {
      new URI(value);
      return true;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
