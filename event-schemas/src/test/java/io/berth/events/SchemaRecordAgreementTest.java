package io.berth.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The JSON Schemas are hand-written; these checks keep them in lock-step with the records. */
class SchemaRecordAgreementTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static JsonNode schema(String resource) throws IOException {
    try (InputStream in = SchemaRecordAgreementTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return MAPPER.readTree(in);
    }
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void dataSchemaMatchesTheRecord(EventType type) throws IOException {
    JsonNode schema = schema(type.schemaResource());

    assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.get("title").asText()).isEqualTo(type.typeName() + " data");
    assertObjectMatches(type.typeName(), schema, type.dataClass());
  }

  /** Property names, order, required set, nullability, types, enums – recursively for nested records. */
  private static void assertObjectMatches(String where, JsonNode schema, Class<?> recordClass) {
    RecordComponent[] components = recordClass.getRecordComponents();
    List<String> names = Arrays.stream(components).map(RecordComponent::getName).toList();
    List<String> required = Arrays.stream(components).filter(c -> !nullable(c)).map(RecordComponent::getName).toList();

    assertThat(schema.get("properties").fieldNames()).toIterable().as(where + " properties").containsExactlyElementsOf(names);
    assertThat(schema.get("required")).extracting(JsonNode::asText).as(where + " required")
        .containsExactlyInAnyOrderElementsOf(required);
    assertThat(schema.get("additionalProperties").asBoolean()).as(where + " tolerates unknown fields").isTrue();

    for (RecordComponent c : components) {
      String path = where + "." + c.getName();
      JsonNode property = schema.get("properties").get(c.getName());
      Set<String> types = types(property);
      assertThat(types.contains("null")).as(path + " accepts null iff @Nullable").isEqualTo(nullable(c));
      types.remove("null");
      assertThat(types).as(path + " type").containsExactly(jsonType(c.getType()));
      if (c.getType().isEnum()) {
        assertThat(property.get("enum")).extracting(JsonNode::asText).as(path + " enum")
            .containsExactlyElementsOf(wireValues(c.getType()));
      }
      if (c.getType().isRecord()) {
        assertObjectMatches(path, property, c.getType());
      }
      boolean identifier = Identifiers.FIELDS.contains(c.getName());
      assertThat(property.has("pattern")).as(path + " has a pattern iff it is an identifier").isEqualTo(identifier);
      if (identifier) {
        assertThat(property.get("pattern").asText()).isEqualTo(Identifiers.PATTERN.pattern());
        assertThat(property.get("minLength").asInt()).isEqualTo(1);
        assertThat(property.get("maxLength").asInt()).isEqualTo(Identifiers.MAX_LENGTH);
      } else if (c.getType() == String.class) {
        assertThat(property.get("minLength").asInt()).as(path + " non-empty").isEqualTo(1);
      }
      assertThat(property.hasNonNull("description")).as(path + " documented").isTrue();
    }
  }

  private static boolean nullable(RecordComponent c) {
    return !c.getType().isPrimitive() && c.isAnnotationPresent(Nullable.class);
  }

  private static Set<String> types(JsonNode property) {
    JsonNode type = property.get("type");
    return type.isArray()
        ? Stream.of(MAPPER.convertValue(type, String[].class)).collect(Collectors.toCollection(HashSet::new))
        : new HashSet<>(Set.of(type.asText()));
  }

  private static String jsonType(Class<?> type) {
    if (type == String.class || type.isEnum()) {
      return "string";
    }
    if (type == int.class) {
      return "integer";
    }
    if (type == double.class) {
      return "number";
    }
    if (type == boolean.class) {
      return "boolean";
    }
    if (type.isRecord()) {
      return "object";
    }
    throw new AssertionError("no JSON type mapping for " + type);
  }

  private static List<String> wireValues(Class<?> enumType) {
    List<String> values = new ArrayList<>();
    for (Object constant : enumType.getEnumConstants()) {
      values.add(MAPPER.convertValue(constant, String.class));
    }
    return values;
  }

  @Test
  void numericLimitsMatchTheJavaConstants() throws IOException {
    JsonNode resources = schema("/schemas/TranscoderRequested.json").at("/properties/resources/properties");
    assertThat(resources.at("/cpus/minimum").asDouble()).isEqualTo(Resources.MIN_CPUS);
    assertThat(resources.at("/cpus/exclusiveMinimum").isMissingNode()).isTrue();
    assertThat(resources.at("/memoryMb/minimum").asInt()).isEqualTo(Resources.MIN_MEMORY_MB)
        .as("above Docker's own minimum of 6 MB").isGreaterThanOrEqualTo(6);
    assertThat(resources.at("/cpus/maximum").asDouble()).isEqualTo(Resources.MAX_CPUS);
    assertThat(resources.at("/memoryMb/minimum").asInt()).isEqualTo(Resources.MIN_MEMORY_MB);
    assertThat(resources.at("/memoryMb/maximum").asInt()).isEqualTo(Resources.MAX_MEMORY_MB);

    JsonNode demand = schema("/schemas/RoomDemandChanged.json").at("/properties");
    assertThat(demand.at("/transcoders/minimum").asInt()).isZero();
    assertThat(demand.at("/transcoders/maximum").asInt()).isEqualTo(Contract.MAX_ROOM_TRANSCODERS);
    com.fasterxml.jackson.databind.node.ObjectNode requestResources =
        (com.fasterxml.jackson.databind.node.ObjectNode) schema("/schemas/TranscoderRequested.json")
            .at("/properties/resources");
    requestResources.set("description", demand.at("/resources/description"));
    assertThat(demand.get("resources")).as("the same limits as a request's").isEqualTo(requestResources);

    assertThat(schema("/schemas/ProvisioningFailed.json").at("/properties/message/maxLength").asInt())
        .isEqualTo(ProvisioningFailed.MAX_MESSAGE_LENGTH);
    assertThat(schema("/schemas/CommandRejected.json").at("/properties/message/maxLength").asInt())
        .isEqualTo(CommandRejected.MAX_MESSAGE_LENGTH);
    for (String counter : List.of("capacity", "running", "free")) {
      assertThat(schema("/schemas/WorkerHeartbeat.json").at("/properties/" + counter + "/minimum").asInt()).isZero();
    }
  }

  @Test
  void envelopeSchemaMatchesCloudEvent() throws IOException {
    JsonNode schema = schema(Schemas.ENVELOPE_RESOURCE);
    RecordComponent[] components = CloudEvent.class.getRecordComponents();

    assertThat(schema.get("properties").fieldNames()).toIterable()
        .containsExactlyElementsOf(Arrays.stream(components).map(RecordComponent::getName).toList());
    assertThat(schema.get("required")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(
        Arrays.stream(components).filter(c -> !c.isAnnotationPresent(Nullable.class)).map(RecordComponent::getName).toList());
    assertThat(schema.at("/properties/specversion/const").asText()).isEqualTo(Contract.SPEC_VERSION);
    assertThat(schema.at("/properties/datacontenttype/const").asText()).isEqualTo(Contract.DATA_CONTENT_TYPE);
    assertThat(schema.at("/properties/id/maxLength").asInt()).isEqualTo(CloudEvent.MAX_ID_LENGTH);
    assertThat(schema.at("/properties/causationid/maxLength").asInt()).isEqualTo(CloudEvent.MAX_ID_LENGTH);
    assertThat(schema.at("/properties/source/maxLength").asInt()).isEqualTo(CloudEvent.MAX_SOURCE_LENGTH);
    assertThat(schema.at("/properties/time/format").asText()).isEqualTo("date-time");
    assertThat(schema.at("/properties/source/format").asText()).isEqualTo("uri-reference");
    assertThat(schema.at("/properties/data/type").asText()).isEqualTo("object");
    assertThat(schema.get("additionalProperties").asBoolean()).isTrue();
  }

  @Test
  void thereIsExactlyOneSchemaFilePerTypePlusTheEnvelope() throws IOException {
    Set<String> expected = Stream.concat(Stream.of("cloudevent.json"),
        Arrays.stream(EventType.values()).map(t -> t.typeName() + ".json")).collect(Collectors.toSet());
    try (Stream<Path> files = Files.list(Path.of("src", "main", "resources", "schemas"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void schemasAreSelfContained() throws IOException {
    for (EventType type : EventType.values()) {
      assertThat(schema(type.schemaResource()).toString()).as(type.typeName()).doesNotContain("$ref");
    }
    assertThat(schema(Schemas.ENVELOPE_RESOURCE).toString()).doesNotContain("$ref");
  }
}
