package io.berth.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** The one Jackson configuration for Berth messages, and the canonical form used by {@link LifecycleIds}. */
final class Json {

  /** Berth events nest 3 levels deep; anything far deeper is an attack or a bug, not an extension. */
  static final int MAX_NESTING_DEPTH = 64;

  static final ObjectMapper MAPPER = newMapper();

  private Json() {
  }

  static ObjectMapper newMapper() {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .build())
        // two "type" keys could be read differently by different consumers: refuse them
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    return JsonMapper.builder(factory)
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .build();
  }

  /** The data serialized as the codec would, with object keys sorted at every level. */
  static String canonical(Object value) {
    try {
      return MAPPER.writeValueAsString(sorted(MAPPER.valueToTree(value)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }

  /** As {@link #canonical(Object)}, without the named top-level fields. */
  static String canonicalWithout(Object value, String... fields) {
    try {
      JsonNode tree = MAPPER.valueToTree(value);
      if (tree instanceof ObjectNode object) {
        object.remove(java.util.List.of(fields));
      }
      return MAPPER.writeValueAsString(sorted(tree));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (!node.isObject()) {
      return node; // event data has no arrays; scalars are already canonical
    }
    Map<String, JsonNode> fields = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      fields.put(e.getKey(), sorted(e.getValue()));
    }
    ObjectNode out = MAPPER.createObjectNode();
    fields.forEach(out::set);
    return out;
  }
}
