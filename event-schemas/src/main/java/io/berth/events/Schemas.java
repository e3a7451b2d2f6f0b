package io.berth.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.resource.DisallowSchemaLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The envelope schema and one data schema per event type, loaded once from the classpath.
 * Validation is thread-safe once constructed.
 */
final class Schemas {

  static final String ENVELOPE_RESOURCE = "/schemas/cloudevent.json";

  private final JsonSchema envelope;
  private final Map<EventType, JsonSchema> data = new EnumMap<>(EventType.class);

  Schemas(ObjectMapper mapper) {
    // The schemas are self-contained. Refusing every remote load guarantees a worker never
    // blocks on, or is steered by, a network fetch triggered by a $ref or $schema.
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
        builder -> builder.schemaLoaders(loaders -> loaders.add(DisallowSchemaLoader.getInstance())));
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
        .formatAssertionsEnabled(true) // 2020-12 treats "format" as a note unless told otherwise
        .pathType(PathType.LEGACY)
        .build();
    envelope = factory.getSchema(read(mapper, ENVELOPE_RESOURCE), config);
    for (EventType type : EventType.values()) {
      data.put(type, factory.getSchema(read(mapper, type.schemaResource()), config));
    }
  }

  List<Violation> checkEnvelope(JsonNode message) {
    return envelope.validate(message).stream()
        .map(m -> Violations.from(m, null))
        .collect(Collectors.toList());
  }

  List<Violation> checkData(EventType type, JsonNode dataNode) {
    return data.get(type).validate(dataNode).stream()
        .map(m -> Violations.from(m, "data"))
        .collect(Collectors.toList());
  }

  static JsonNode read(ObjectMapper mapper, String resource) {
    try (InputStream in = Schemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema resource missing from classpath: " + resource);
      }
      return mapper.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema " + resource, e);
    }
  }
}
