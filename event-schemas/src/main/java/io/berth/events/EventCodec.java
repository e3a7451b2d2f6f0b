package io.berth.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Reads and writes Berth CloudEvents (structured JSON). Construct once and share: construction
 * loads every schema; decoding and encoding are thread-safe.
 *
 * <p>Decoding checks, in order: body (size, UTF-8, JSON, object) → envelope schema → type lookup →
 * command kind ({@link #decodeCommand} only) → data schema and identifier rule → record mapping.
 * The first failing step decides the {@link RejectionCode}.
 */
public final class EventCodec {

  /** Longest {@code type} value echoed back in {@link RejectedEventException#eventType()}. */
  private static final int MAX_TYPE_LENGTH = 128;

  private final ObjectMapper mapper = Json.newMapper();
  private final Schemas schemas = new Schemas(mapper);
  private final Map<EventType, List<String>> identifierFields = identifierFields();

  /** Decodes a message that must be a command, as the worker does for its queues. */
  public CloudEvent<CommandData> decodeCommand(byte[] body) throws RejectedEventException {
    CloudEvent<EventData> event = read(body, true);
    @SuppressWarnings("unchecked") // read(.., true) returned only after checking the kind is COMMAND
    CloudEvent<CommandData> command = (CloudEvent<CommandData>) (CloudEvent<?>) event;
    return command;
  }

  /** Decodes a message of any Berth type (tests, monitoring, tooling). */
  public CloudEvent<EventData> decode(byte[] body) throws RejectedEventException {
    return read(body, false);
  }

  /** UTF-8 JSON; null attributes are omitted. */
  public byte[] encode(CloudEvent<?> event) {
    Objects.requireNonNull(event, "event");
    try {
      return mapper.writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      // records are validated on construction, so this is a bug, not bad input
      throw new IllegalStateException("cannot encode " + event, e);
    }
  }

  /** A copy of the configured mapper (the codec's own stays unmodifiable). */
  public ObjectMapper objectMapper() {
    return mapper.copy();
  }

  private CloudEvent<EventData> read(byte[] body, boolean commandsOnly) throws RejectedEventException {
    JsonNode root = BodyParser.parse(mapper, body);
    String id = peek(root, "id", CloudEvent.MAX_ID_LENGTH);
    String typeName = peek(root, "type", MAX_TYPE_LENGTH);

    List<Violation> envelope = schemas.checkEnvelope(root);
    if (!envelope.isEmpty()) {
      throw reject(RejectionCode.INVALID_ENVELOPE, Violations.summarize(envelope), id, typeName);
    }
    Instant time = parseTime(root.get("time"), id, typeName);
    EventType type = EventType.fromTypeName(typeName).orElseThrow(() -> reject(RejectionCode.UNKNOWN_TYPE,
        "type: unknown event type " + Sanitizer.describe(root.get("type")), id, typeName));
    if (commandsOnly && type.kind() != EventType.Kind.COMMAND) {
      throw reject(RejectionCode.NOT_A_COMMAND,
          "type: " + type.typeName() + " is a lifecycle event, not a command", id, typeName);
    }
    JsonNode dataNode = root.get("data");
    List<Violation> problems = checkData(type, dataNode);
    if (!problems.isEmpty()) {
      boolean onlyIdentifiers = problems.stream().allMatch(Violation::identifier);
      throw reject(onlyIdentifiers ? RejectionCode.INVALID_IDENTIFIER : RejectionCode.SCHEMA_VIOLATION,
          Violations.summarize(problems), id, typeName);
    }
    EventData data = toRecord(type, dataNode, id, typeName);
    try {
      return new CloudEvent<>(root.get("specversion").textValue(), id, root.get("source").textValue(),
          typeName, time, root.get("datacontenttype").textValue(), textOrNull(root.get("causationid")),
          data);
    } catch (IllegalArgumentException e) {
      // the schema mirrors the constructor; reaching this means they drifted apart
      throw reject(RejectionCode.INVALID_ENVELOPE, Sanitizer.escape(e.getMessage(), 200), id, typeName);
    }
  }

  /**
   * Schema problems plus the Java identifier rule. The second check matters because the schema
   * validator's regex engine lets {@code $} match before a trailing newline.
   */
  private List<Violation> checkData(EventType type, JsonNode dataNode) {
    List<Violation> problems = new ArrayList<>(schemas.checkData(type, dataNode));
    for (String field : identifierFields.get(type)) {
      JsonNode value = dataNode.get(field);
      if (value != null && value.isTextual() && !Identifiers.isValid(value.textValue())) {
        problems.add(Violation.badIdentifier("data." + field, value));
      }
    }
    return problems.stream().distinct().collect(Collectors.toList());
  }

  private EventData toRecord(EventType type, JsonNode dataNode, String id, String typeName)
      throws RejectedEventException {
    try {
      return mapper.treeToValue(dataNode, type.dataClass());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      // constructors throw IllegalArgumentException; Jackson wraps it
      Throwable cause = e;
      while (!(cause instanceof IllegalArgumentException) && cause.getCause() != null) {
        cause = cause.getCause();
      }
      String detail = cause instanceof IllegalArgumentException ? cause.getMessage()
          : ((JsonProcessingException) e).getOriginalMessage();
      throw reject(RejectionCode.SCHEMA_VIOLATION, "data: " + Sanitizer.escape(String.valueOf(detail), 200),
          id, typeName);
    }
  }

  /** RFC 3339 allows lower-case 't' and 'z'; java.time does not, hence the upper-casing. */
  private static Instant parseTime(JsonNode time, String id, String typeName) throws RejectedEventException {
    try {
      return OffsetDateTime.parse(time.textValue().toUpperCase(Locale.ROOT),
          DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      // e.g. leap second 23:59:60, or more than 9 fractional digits: valid RFC 3339, not representable
      throw reject(RejectionCode.INVALID_ENVELOPE, "time: must be an RFC 3339 timestamp representable as"
          + " an Instant (got " + Sanitizer.describe(time) + ")", id, typeName);
    }
  }

  /** An attribute echoed in the exception only if it is a sane, printable string. */
  private static String peek(JsonNode root, String field, int maxLength) {
    JsonNode node = root.get(field);
    if (node == null || !node.isTextual()) {
      return null;
    }
    String value = node.textValue();
    boolean printable = value.chars().allMatch(c -> c >= 0x20 && c != 0x7f && !Character.isISOControl(c)
        && Character.getType(c) != Character.FORMAT);
    return !value.isEmpty() && value.length() <= maxLength && printable ? value : null;
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.textValue();
  }

  private static RejectedEventException reject(RejectionCode code, String message, String id, String type) {
    return new RejectedEventException(code, message, id, type);
  }

  private static Map<EventType, List<String>> identifierFields() {
    Map<EventType, List<String>> fields = new EnumMap<>(EventType.class);
    for (EventType type : EventType.values()) {
      fields.put(type, Arrays.stream(type.dataClass().getRecordComponents())
          .map(c -> c.getName())
          .filter(Identifiers.FIELDS::contains)
          .collect(Collectors.toUnmodifiableList()));
    }
    return fields;
  }
}
