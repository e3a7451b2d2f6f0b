package io.berth.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.testing.Examples;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventCodecTest {

  private static final EventCodec CODEC = new EventCodec();
  private static final String REQUEST_DATA = "{\"tenantId\":\"acme\",\"transcoderId\":\"tc-1\",\"roomId\":\"room-1\"}";

  /** A valid TranscoderRequested with one attribute line replaced or removed. */
  private static String request(String attributeToReplace, String replacement) {
    String[] attributes = {
      "\"specversion\":\"1.0\"",
      "\"id\":\"cmd-1\"",
      "\"source\":\"urn:billing:eu-1\"",
      "\"type\":\"TranscoderRequested\"",
      "\"time\":\"2026-11-24T15:41:11.123Z\"",
      "\"datacontenttype\":\"application/json\"",
      "\"data\":" + REQUEST_DATA,
    };
    StringBuilder out = new StringBuilder("{");
    for (String attribute : attributes) {
      String line = attribute.startsWith("\"" + attributeToReplace + "\"") ? replacement : attribute;
      if (line != null) {
        out.append(out.length() > 1 ? "," : "").append(line);
      }
    }
    return out.append('}').toString();
  }

  private static String withData(String type, String data) {
    return request("type", "\"type\":\"" + type + "\"").replace(REQUEST_DATA, data);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static RejectedEventException rejected(String body) {
    return rejected(utf8(body));
  }

  private static RejectedEventException rejected(byte[] body) {
    RejectedEventException e = catchThrowableOfType(RejectedEventException.class, () -> CODEC.decodeCommand(body));
    assertThat(e).as("expected a rejection").isNotNull();
    return e;
  }

  // ---- happy paths ------------------------------------------------------------------------

  static Stream<CloudEvent<?>> examples() {
    CloudEvent<TranscoderRequested> request = Examples.transcoderRequested("acme", "tc-1", "room-1");
    return Stream.of(
        request,
        Examples.transcoderRequested("acme", "tc-2", "room-1", "registry.example.com/wcs:5.2", 1.5, 2048),
        Examples.transcoderReleased("acme", "tc-1"),
        Examples.transcoderRestartRequested("acme", "tc-1"),
        Examples.roomClosed("acme", "room-1"),
        Examples.roomDemandChanged("acme", "room-1", 4),
        Examples.command(new RoomDemandChanged("acme", "room-1", 0, "registry.example.com/wcs:5.2", new Resources(1, 1024))),
        Examples.tenantSuspended("acme"),
        Examples.tenantResumed("acme"),
        Examples.transcoderStarted(request, "host-a"),
        Examples.lifecycle(request, new TranscoderStopped("acme", "tc-1", "host-a", StopReason.ROOM_CLOSED, true)),
        Examples.lifecycle(request, new TranscoderRestarted("acme", "tc-1", "host-a", RestartCause.CRASHED, 2)),
        Examples.lifecycle(request, new TranscoderMoved("acme", "tc-1", "room-1", "host-a", "host-b", "198.51.100.40",
            TranscoderMoved.Reason.HOST_LOST)),
        Examples.containerCrashed("acme", "tc-1", "host-a"),
        Examples.lifecycle(request, new ProvisioningFailed("acme", "tc-1", "host-a", "no-free-ip", "pool exhausted", true)),
        Examples.lifecycle(request, new CommandRejected("cmd-9", "RoomClosed", "schema-violation", "data.roomId: is required")),
        Examples.lifecycle(null, new CommandRejected(null, null, "malformed-json", "body is empty")),
        Examples.lifecycle(request, new RoomDemandStatus("acme", "room-1", 4, 1, 2, "host-a", request.id())),
        Examples.lifecycle(request, new RoomDemandStatus("acme", "room-1", 0, 0, 0, "host-b", null)),
        Examples.lifecycle(request, new TranscoderStopped("acme", "room-1-d3", "host-a", StopReason.SCALED_DOWN, true)),
        Examples.heartbeat("host-a", 40, 12));
  }

  @ParameterizedTest
  @MethodSource("examples")
  void encodeThenDecodeGivesTheSameEvent(CloudEvent<?> event) throws Exception {
    byte[] encoded = CODEC.encode(event);

    assertThat(CODEC.decode(encoded)).isEqualTo(event);
    assertThat(CODEC.decode(CODEC.encode(CODEC.decode(encoded)))).isEqualTo(event);
  }

  @Test
  void everyTypeIsCoveredByTheRoundTripExamples() {
    assertThat(examples().map(e -> e.eventType()).distinct()).containsExactlyInAnyOrder(EventType.values());
  }

  @Test
  void encodingHasExactlyTheCloudEventsAttributesAndOmitsNulls() throws Exception {
    CloudEvent<TranscoderRequested> event = CloudEvent.command("cmd-1", "urn:billing:eu-1",
        Instant.parse("2026-11-24T15:41:11.123Z"), new TranscoderRequested("acme", "tc-1", "room-1", null, null));

    JsonNode json = new ObjectMapper().readTree(CODEC.encode(event));

    assertThat(json.fieldNames()).toIterable()
        .containsExactly("specversion", "id", "source", "type", "time", "datacontenttype", "data");
    assertThat(json.get("time").textValue()).isEqualTo("2026-11-24T15:41:11.123Z");
    assertThat(json.get("data").fieldNames()).toIterable().containsExactly("tenantId", "transcoderId", "roomId");
    assertThat(new String(CODEC.encode(event), StandardCharsets.UTF_8)).doesNotContain("null");
  }

  @Test
  void enumsAreWrittenInTheirWireForm() throws Exception {
    CloudEvent<TranscoderStopped> event = Examples.lifecycle(null,
        new TranscoderStopped("acme", "tc-1", "host-a", StopReason.TENANT_SUSPENDED, false));

    JsonNode data = new ObjectMapper().readTree(CODEC.encode(event)).get("data");

    assertThat(data.get("reason").textValue()).isEqualTo("tenant-suspended");
  }

  @Test
  void decodeCommandReturnsTypedCommandData() throws Exception {
    CloudEvent<CommandData> command = CODEC.decodeCommand(utf8(request("x", null)));

    assertThat(command.data()).isEqualTo(new TranscoderRequested("acme", "tc-1", "room-1", null, null));
    assertThat(command.data().tenantId()).isEqualTo("acme");
    assertThat(command.id()).isEqualTo("cmd-1");
    assertThat(command.source()).isEqualTo("urn:billing:eu-1");
    assertThat(command.time()).isEqualTo(Instant.parse("2026-11-24T15:41:11.123Z"));
    assertThat(command.causationid()).isNull();
  }

  @Test
  void unknownAttributesAndUnknownDataFieldsAreTolerated() throws Exception {
    String body = request("data", "\"data\":{\"tenantId\":\"acme\",\"transcoderId\":\"tc-1\",\"roomId\":\"room-1\","
        + "\"priority\":\"high\",\"extra\":{\"nested\":[1,2,{\"x\":null}]}}")
        .replace("{\"specversion\"", "{\"traceparent\":\"00-abc-def-01\",\"subject\":\"x\",\"specversion\"");

    assertThat(CODEC.decodeCommand(utf8(body)).data())
        .isEqualTo(new TranscoderRequested("acme", "tc-1", "room-1", null, null));
  }

  @Test
  void explicitNullsForOptionalFieldsMeanAbsent() throws Exception {
    String body = withData("TranscoderRequested",
        "{\"tenantId\":\"acme\",\"transcoderId\":\"tc-1\",\"roomId\":\"room-1\",\"image\":null,\"resources\":null}")
        .replace("\"data\"", "\"causationid\":null,\"data\"");

    CloudEvent<CommandData> command = CODEC.decodeCommand(utf8(body));

    assertThat(command.data()).isEqualTo(new TranscoderRequested("acme", "tc-1", "room-1", null, null));
    assertThat(command.causationid()).isNull();
  }

  @Test
  void rfc3339VariantsAreAcceptedAndNormalizedToAnInstant() throws Exception {
    assertThat(CODEC.decodeCommand(utf8(request("time", "\"time\":\"2026-11-24t17:41:11+02:00\""))).time())
        .isEqualTo(Instant.parse("2026-11-24T15:41:11Z"));
    assertThat(CODEC.decodeCommand(utf8(request("time", "\"time\":\"2026-11-24T15:41:11.123456789z\""))).time())
        .isEqualTo(Instant.parse("2026-11-24T15:41:11.123456789Z"));
  }

  @Test
  void decodeAcceptsLifecycleEventsThatDecodeCommandRefuses() throws Exception {
    CloudEvent<WorkerHeartbeat> heartbeat = Examples.heartbeat("host-a", 4, 1);

    assertThat(CODEC.decode(CODEC.encode(heartbeat)).data()).isEqualTo(heartbeat.data());
    RejectedEventException e = rejected(CODEC.encode(heartbeat));
    assertThat(e.code()).isEqualTo(RejectionCode.NOT_A_COMMAND);
    assertThat(e.getMessage()).isEqualTo("type: WorkerHeartbeat is a lifecycle event, not a command");
    assertThat(e.eventId()).isEqualTo(heartbeat.id());
    assertThat(e.eventType()).isEqualTo("WorkerHeartbeat");
  }

  @Test
  void theCodecIsSafeToShareBetweenThreads() {
    List<CloudEvent<?>> events = examples().toList();
    IntStream.range(0, 2000).parallel().forEach(i -> {
      CloudEvent<?> event = events.get(i % events.size());
      try {
        assertThat(CODEC.decode(CODEC.encode(event))).isEqualTo(event);
      } catch (RejectedEventException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void objectMapperIsACopy() {
    ObjectMapper copy = CODEC.objectMapper();
    copy.enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    assertThat(new String(CODEC.encode(Examples.tenantSuspended("acme")), StandardCharsets.UTF_8)).doesNotContain("\n");
  }

  // ---- rejections ---------------------------------------------------------------------------

  static Stream<Arguments> badBodies() {
    String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
    return Stream.of(
        // body
        Arguments.of("not JSON", "{\"specversion\":", RejectionCode.MALFORMED_JSON, "body is not valid JSON: "),
        Arguments.of("garbage", "hello", RejectionCode.MALFORMED_JSON, "body is not valid JSON: Unrecognized token 'hello'"),
        Arguments.of("empty body", "", RejectionCode.MALFORMED_JSON, "body is empty"),
        Arguments.of("whitespace body", "  \n ", RejectionCode.MALFORMED_JSON, "body is empty"),
        Arguments.of("JSON array", "[{\"specversion\":\"1.0\"}]", RejectionCode.MALFORMED_JSON,
            "body must be a JSON object (got an array)"),
        Arguments.of("JSON string", "\"TranscoderRequested\"", RejectionCode.MALFORMED_JSON,
            "body must be a JSON object (got \"TranscoderRequested\")"),
        Arguments.of("JSON null", "null", RejectionCode.MALFORMED_JSON, "body must be a JSON object (got null)"),
        Arguments.of("trailing content", request("x", null) + " {}", RejectionCode.MALFORMED_JSON, "body is not valid JSON: "),
        Arguments.of("duplicate key", request("x", null).replace("{\"specversion\"", "{\"type\":\"RoomClosed\",\"specversion\""),
            RejectionCode.MALFORMED_JSON, "Duplicate field 'type'"),
        Arguments.of("deep nesting", request("x", null).replace("{\"specversion\"", "{\"deep\":" + deep + ",\"specversion\""),
            RejectionCode.MALFORMED_JSON, "nested deeper than 64 levels"),
        // envelope
        Arguments.of("missing specversion", request("specversion", null), RejectionCode.INVALID_ENVELOPE,
            "specversion: is required"),
        Arguments.of("wrong specversion", request("specversion", "\"specversion\":\"0.3\""), RejectionCode.INVALID_ENVELOPE,
            "specversion: must be the constant value '1.0' (got \"0.3\")"),
        Arguments.of("numeric specversion", request("specversion", "\"specversion\":1.0"), RejectionCode.INVALID_ENVELOPE,
            "specversion: must be of type string (got 1.0)"),
        Arguments.of("missing id", request("id", null), RejectionCode.INVALID_ENVELOPE, "id: is required"),
        Arguments.of("empty id", request("id", "\"id\":\"\""), RejectionCode.INVALID_ENVELOPE, "id: must be at least 1 characters long"),
        Arguments.of("id too long", request("id", "\"id\":\"" + "x".repeat(257) + "\""), RejectionCode.INVALID_ENVELOPE,
            "id: must be at most 256 characters long"),
        Arguments.of("missing source", request("source", null), RejectionCode.INVALID_ENVELOPE, "source: is required"),
        Arguments.of("bad source", request("source", "\"source\":\"billing eu 1\""), RejectionCode.INVALID_ENVELOPE,
            "source: must be a URI-reference"),
        Arguments.of("missing type", request("type", null), RejectionCode.INVALID_ENVELOPE, "type: is required"),
        Arguments.of("missing time", request("time", null), RejectionCode.INVALID_ENVELOPE, "time: is required"),
        Arguments.of("bad time", request("time", "\"time\":\"yesterday\""), RejectionCode.INVALID_ENVELOPE,
            "time: must be an RFC 3339 timestamp, e.g. 2026-11-24T15:41:11.123Z (got \"yesterday\")"),
        Arguments.of("time without offset", request("time", "\"time\":\"2026-11-24T15:41:11\""), RejectionCode.INVALID_ENVELOPE,
            "time: must be an RFC 3339 timestamp"),
        Arguments.of("epoch millis time", request("time", "\"time\":1763998871123"), RejectionCode.INVALID_ENVELOPE,
            "time: must be of type string (got 1763998871123)"),
        Arguments.of("missing datacontenttype", request("datacontenttype", null), RejectionCode.INVALID_ENVELOPE,
            "datacontenttype: is required"),
        Arguments.of("wrong datacontenttype", request("datacontenttype", "\"datacontenttype\":\"text/plain\""),
            RejectionCode.INVALID_ENVELOPE, "datacontenttype: must be the constant value 'application/json'"),
        Arguments.of("empty causationid", request("data", "\"causationid\":\"\",\"data\":" + REQUEST_DATA),
            RejectionCode.INVALID_ENVELOPE, "causationid: must be at least 1 characters long"),
        Arguments.of("missing data", request("data", null), RejectionCode.INVALID_ENVELOPE, "data: is required"),
        Arguments.of("data is a string", request("data", "\"data\":\"{}\""), RejectionCode.INVALID_ENVELOPE,
            "data: must be of type object (got \"{}\")"),
        // type
        Arguments.of("unknown type", withData("TranscoderExploded", REQUEST_DATA), RejectionCode.UNKNOWN_TYPE,
            "type: unknown event type \"TranscoderExploded\""),
        Arguments.of("type in wrong case", withData("transcoderrequested", REQUEST_DATA), RejectionCode.UNKNOWN_TYPE,
            "type: unknown event type \"transcoderrequested\""),
        Arguments.of("lifecycle type as command", withData("TranscoderStarted", "{}"), RejectionCode.NOT_A_COMMAND,
            "type: TranscoderStarted is a lifecycle event, not a command"),
        // data
        Arguments.of("missing required data field", withData("TranscoderRequested", "{\"tenantId\":\"acme\",\"transcoderId\":\"tc-1\"}"),
            RejectionCode.SCHEMA_VIOLATION, "data.roomId: is required"),
        Arguments.of("wrong field type", withData("RoomClosed", "{\"tenantId\":\"acme\",\"roomId\":42}"),
            RejectionCode.SCHEMA_VIOLATION, "data.roomId: must be of type string (got 42)"),
        Arguments.of("null required field", withData("RoomClosed", "{\"tenantId\":\"acme\",\"roomId\":null}"),
            RejectionCode.SCHEMA_VIOLATION, "data.roomId: must be of type string (got null)"),
        Arguments.of("object for identifier", withData("TenantSuspended", "{\"tenantId\":{\"id\":\"acme\"}}"),
            RejectionCode.SCHEMA_VIOLATION, "data.tenantId: must be of type string (got an object)"),
        Arguments.of("half resources", withData("TranscoderRequested",
            "{\"tenantId\":\"acme\",\"transcoderId\":\"tc-1\",\"roomId\":\"r\",\"resources\":{\"cpus\":1}}"),
            RejectionCode.SCHEMA_VIOLATION, "data.resources.memoryMb: is required"),
        Arguments.of("zero cpus", withData("TranscoderRequested",
            "{\"tenantId\":\"acme\",\"transcoderId\":\"tc-1\",\"roomId\":\"r\",\"resources\":{\"cpus\":0,\"memoryMb\":512}}"),
            RejectionCode.SCHEMA_VIOLATION, "data.resources.cpus: must have a minimum value of 0.01 (got 0)"),
        Arguments.of("a billionth of a cpu (Docker would read NanoCpus=1 as no limit)", withData("TranscoderRequested",
            "{\"tenantId\":\"acme\",\"transcoderId\":\"tc-1\",\"roomId\":\"r\",\"resources\":{\"cpus\":1e-9,\"memoryMb\":512}}"),
            RejectionCode.SCHEMA_VIOLATION, "data.resources.cpus: must have a minimum value of 0.01"),
        Arguments.of("too many cpus", withData("TranscoderRequested",
            "{\"tenantId\":\"acme\",\"transcoderId\":\"tc-1\",\"roomId\":\"r\",\"resources\":{\"cpus\":64.5,\"memoryMb\":512}}"),
            RejectionCode.SCHEMA_VIOLATION, "data.resources.cpus: must have a maximum value of 64 (got 64.5)"),
        Arguments.of("too little memory", withData("TranscoderRequested",
            "{\"tenantId\":\"acme\",\"transcoderId\":\"tc-1\",\"roomId\":\"r\",\"resources\":{\"cpus\":1,\"memoryMb\":63}}"),
            RejectionCode.SCHEMA_VIOLATION, "data.resources.memoryMb: must have a minimum value of 64 (got 63)"),
        Arguments.of("fractional memory", withData("TranscoderRequested",
            "{\"tenantId\":\"acme\",\"transcoderId\":\"tc-1\",\"roomId\":\"r\",\"resources\":{\"cpus\":1,\"memoryMb\":512.5}}"),
            RejectionCode.SCHEMA_VIOLATION, "data.resources.memoryMb: must be of type integer (got 512.5)"),
        Arguments.of("empty image", withData("TranscoderRequested",
            "{\"tenantId\":\"acme\",\"transcoderId\":\"tc-1\",\"roomId\":\"r\",\"image\":\"\"}"),
            RejectionCode.SCHEMA_VIOLATION, "data.image: must be at least 1 characters long (got \"\")"),
        Arguments.of("demand above the maximum", withData("RoomDemandChanged",
            "{\"tenantId\":\"acme\",\"roomId\":\"r\",\"transcoders\":65}"),
            RejectionCode.SCHEMA_VIOLATION, "data.transcoders: must have a maximum value of 64 (got 65)"),
        Arguments.of("negative demand", withData("RoomDemandChanged",
            "{\"tenantId\":\"acme\",\"roomId\":\"r\",\"transcoders\":-1}"),
            RejectionCode.SCHEMA_VIOLATION, "data.transcoders: must have a minimum value of 0 (got -1)"),
        Arguments.of("demand without a count", withData("RoomDemandChanged", "{\"tenantId\":\"acme\",\"roomId\":\"r\"}"),
            RejectionCode.SCHEMA_VIOLATION, "data.transcoders: is required"),
        Arguments.of("fractional demand", withData("RoomDemandChanged",
            "{\"tenantId\":\"acme\",\"roomId\":\"r\",\"transcoders\":2.5}"),
            RejectionCode.SCHEMA_VIOLATION, "data.transcoders: must be of type integer (got 2.5)"),
        Arguments.of("identifier and other problem", withData("TranscoderRequested", "{\"tenantId\":\"ACME\",\"transcoderId\":\"tc-1\"}"),
            RejectionCode.SCHEMA_VIOLATION, "data.roomId: is required; data.tenantId: must be 1 to 63 characters"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void badInputIsRejectedWithItsCodeAndAPreciseMessage(String name, String body, RejectionCode code, String message) {
    RejectedEventException e = rejected(body);

    assertThat(e.code()).as(e.toString()).isEqualTo(code);
    assertThat(e.getMessage()).contains(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Acme", "ac_me", "-acme", "acme-", "ac.me", "ac me", "äcme", "", "acme\\n",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) // 64 chars
  void badIdentifiersAreInvalidIdentifier(String tenantId) {
    RejectedEventException e = rejected(withData("RoomClosed", "{\"tenantId\":\"" + tenantId + "\",\"roomId\":\"room-1\"}"));

    assertThat(e.code()).as(e.toString()).isEqualTo(RejectionCode.INVALID_IDENTIFIER);
    assertThat(e.getMessage()).startsWith("data.tenantId: must be 1 to 63 characters of [a-z0-9-], "
        + "not starting or ending with '-' (got \"");
    assertThat(e.eventId()).isEqualTo("cmd-1");
    assertThat(e.eventType()).isEqualTo("RoomClosed");
  }

  @Test
  void identifierRejectionMessageIsExact() {
    RejectedEventException e = rejected(withData("RoomClosed", "{\"tenantId\":\"Foo_Bar\",\"roomId\":\"room-1\"}"));

    assertThat(e.getMessage()).isEqualTo("data.tenantId: " + Identifiers.RULE + " (got \"Foo_Bar\")");
  }

  @Test
  void severalBadIdentifiersAreAllListedOnce() {
    RejectedEventException e = rejected(withData("RoomClosed", "{\"tenantId\":\"" + "A".repeat(70) + "\",\"roomId\":\"-x\"}"));

    assertThat(e.code()).isEqualTo(RejectionCode.INVALID_IDENTIFIER);
    assertThat(e.getMessage()).startsWith("data.roomId: ").contains("; data.tenantId: ");
    assertThat(e.getMessage().split("data\\.tenantId")).hasSize(2);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 63})
  void identifierLengthLimitsAreInclusive(int length) throws Exception {
    String id = "a".repeat(length);

    assertThat(CODEC.decodeCommand(utf8(withData("TenantSuspended", "{\"tenantId\":\"" + id + "\"}"))).data().tenantId())
        .isEqualTo(id);
  }

  @Test
  void lifecycleDataIsValidatedByDecodeToo() {
    String body = withData("TranscoderStopped",
        "{\"tenantId\":\"acme\",\"transcoderId\":\"tc-1\",\"hostId\":\"h\",\"reason\":\"exploded\",\"removed\":true}");

    assertThatThrownBy(() -> CODEC.decode(utf8(body)))
        .isInstanceOfSatisfying(RejectedEventException.class, e -> {
          assertThat(e.code()).isEqualTo(RejectionCode.SCHEMA_VIOLATION);
          assertThat(e.getMessage()).isEqualTo("data.reason: must be one of [\"released\", \"room-closed\", \"tenant-suspended\", \"removed-externally\", \"scaled-down\"] (got \"exploded\")");
        });
  }

  @Test
  void integersOutsideJavaRangeAreSchemaViolations() {
    String body = withData("WorkerHeartbeat", "{\"hostId\":\"h\",\"capacity\":10000000000,\"running\":0,\"free\":0}");

    assertThatThrownBy(() -> CODEC.decode(utf8(body)))
        .isInstanceOfSatisfying(RejectedEventException.class, e -> {
          assertThat(e.code()).isEqualTo(RejectionCode.SCHEMA_VIOLATION);
          assertThat(e.getMessage()).startsWith("data.capacity: must have a maximum value of 2147483647");
        });
  }

  @Test
  void notUtf8IsMalformedJson() {
    byte[] latin1 = request("x", null).replace("room-1", "r\u00e9").getBytes(StandardCharsets.ISO_8859_1);
    byte[] utf16 = request("x", null).getBytes(StandardCharsets.UTF_16);

    for (byte[] body : List.of(latin1, utf16)) {
      RejectedEventException e = rejected(body);
      assertThat(e.code()).isEqualTo(RejectionCode.MALFORMED_JSON);
      assertThat(e.getMessage()).isEqualTo("body is not valid UTF-8");
    }
  }

  @Test
  void oversizeBodyIsRefusedBeforeParsing() {
    byte[] body = new byte[Contract.MAX_BODY_BYTES + 1]; // not even JSON: the size check comes first

    RejectedEventException e = rejected(body);

    assertThat(e.code()).isEqualTo(RejectionCode.INVALID_ENVELOPE);
    assertThat(e.getMessage()).isEqualTo("body is 65537 bytes; the limit is 65536");
    assertThat(e.eventId()).isNull();
  }

  @Test
  void bodyOfExactlyTheLimitIsAccepted() throws Exception {
    String base = request("x", null).replace("{\"specversion\"", "{\"pad\":\"\",\"specversion\"");
    String body = base.replace("\"pad\":\"\"", "\"pad\":\"" + "x".repeat(Contract.MAX_BODY_BYTES - base.length()) + "\"");

    assertThat(utf8(body)).hasSize(Contract.MAX_BODY_BYTES);
    assertThat(CODEC.decodeCommand(utf8(body)).id()).isEqualTo("cmd-1");
  }

  @Test
  void hostileValuesAreClippedAndEscapedInMessages() {
    String hostile = "\\u001b[31mEVIL\\r\\nINFO fake log line\\u202e" + "x".repeat(20_000);
    RejectedEventException e = rejected(withData("RoomClosed", "{\"tenantId\":\"" + hostile + "\",\"roomId\":\"room-1\"}"));

    assertThat(e.code()).isEqualTo(RejectionCode.INVALID_IDENTIFIER);
    assertThat(e.getMessage())
        .hasSizeLessThan(250)
        .contains("(got \"\\u001b[31mEVIL\\u000d\\u000aINFO fake log line\\u202e")
        .contains("more chars)")
        .doesNotContain("\u001b", "\r", "\n", "\u202e");
  }

  @Test
  void hostileTypeAndIdAreNotEchoedAsAttributes() {
    String body = request("type", "\"type\":\"Evil\\u001b[2J\"").replace("\"id\":\"cmd-1\"", "\"id\":\"a\\nb\"");

    RejectedEventException e = rejected(body);

    assertThat(e.code()).isEqualTo(RejectionCode.UNKNOWN_TYPE);
    assertThat(e.getMessage()).isEqualTo("type: unknown event type \"Evil\\u001b[2J\"");
    assertThat(e.eventType()).isNull();
    assertThat(e.eventId()).isNull();
  }

  @Test
  void longUnknownTypeIsClipped() {
    RejectedEventException e = rejected(withData("T".repeat(5000), REQUEST_DATA));

    assertThat(e.code()).isEqualTo(RejectionCode.INVALID_ENVELOPE); // longer than the 128 allowed
    assertThat(e.getMessage()).hasSizeLessThan(200).contains("more chars");
    assertThat(e.eventType()).isNull();
  }

  @Test
  void parserMessagesAreEscapedAndShort() {
    RejectedEventException e = rejected("{\"a\u0007" + "b".repeat(10_000) + ": 1}");

    assertThat(e.code()).isEqualTo(RejectionCode.MALFORMED_JSON);
    assertThat(e.getMessage()).hasSizeLessThan(300).doesNotContain("\u0007");
  }

  @Test
  void manyProblemsAreSummarized() {
    RejectedEventException e = rejected(withData("TranscoderStarted", "{}").replace("TranscoderStarted", "TranscoderStarted"));
    RejectedEventException viaDecode = catchThrowableOfType(RejectedEventException.class,
        () -> CODEC.decode(utf8(withData("TranscoderStarted", "{}"))));

    assertThat(e.code()).isEqualTo(RejectionCode.NOT_A_COMMAND);
    assertThat(viaDecode.code()).isEqualTo(RejectionCode.SCHEMA_VIOLATION);
    assertThat(viaDecode.getMessage()).startsWith("data.containerId: is required; data.containerName: is required; ")
        .endsWith("; and 3 more");
  }
}
