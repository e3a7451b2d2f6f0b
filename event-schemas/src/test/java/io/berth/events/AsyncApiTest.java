package io.berth.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AsyncApiTest {

  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static JsonNode api;

  @BeforeAll
  static void parse() throws IOException {
    api = new YAMLMapper().readTree(MODULE.resolve("asyncapi.yaml").toFile());
  }

  @Test
  void isAsyncApi26() {
    assertThat(api.get("asyncapi").asText()).isEqualTo("2.6.0");
    assertThat(api.at("/servers/rabbitmq/protocol").asText()).isEqualTo("amqp");
    assertThat(api.get("defaultContentType").asText()).isEqualTo(Contract.CONTENT_TYPE);
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void everyTypeHasAMessageAndAChannel(EventType type) {
    String name = type.typeName();
    JsonNode message = api.at("/components/messages/" + name);
    assertThat(message.isObject()).as(name).isTrue();
    assertThat(message.get("name").asText()).isEqualTo(name);
    assertThat(message.get("contentType").asText()).isEqualTo(Contract.CONTENT_TYPE);
    assertThat(message.at("/payload/allOf/0/$ref").asText()).isEqualTo("./src/main/resources/schemas/cloudevent.json");
    assertThat(message.at("/payload/allOf/1/properties/type/const").asText()).isEqualTo(name);
    assertThat(message.at("/payload/allOf/1/properties/data/$ref").asText())
        .isEqualTo("./src/main/resources" + type.schemaResource());

    JsonNode channel = api.at("/channels/" + name);
    boolean command = type.kind() == EventType.Kind.COMMAND;
    assertThat(channel.at("/bindings/amqp/is").asText()).isEqualTo("routingKey");
    assertThat(channel.at("/bindings/amqp/exchange/name").asText())
        .isEqualTo(command ? Contract.COMMANDS_EXCHANGE : Contract.LIFECYCLE_EXCHANGE);
    assertThat(channel.at("/bindings/amqp/exchange/type").asText()).isEqualTo("topic");
    assertThat(channel.at("/bindings/amqp/exchange/durable").asBoolean()).isTrue();
    // the document describes the worker: it receives ("publish") commands and sends ("subscribe") events
    JsonNode operation = channel.get(command ? "publish" : "subscribe");
    assertThat(operation).as(name + " operation").isNotNull();
    assertThat(operation.at("/message/$ref").asText()).isEqualTo("#/components/messages/" + name);
  }

  @Test
  void noMessagesBeyondTheEventTypesAndTheDeadLetter() {
    Set<String> expected = Arrays.stream(EventType.values()).map(EventType::typeName).collect(Collectors.toSet());
    expected.add("DeadLetteredCommand");
    assertThat(api.at("/components/messages").fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void everyReferenceResolves() {
    List<String> refs = new ArrayList<>();
    collectRefs(api, refs);
    assertThat(refs).hasSizeGreaterThan(2 * EventType.values().length);
    for (String ref : refs) {
      if (ref.startsWith("#/")) {
        assertThat(api.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
      } else {
        assertThat(MODULE.resolve(ref)).as(ref).isRegularFile();
      }
    }
  }

  @Test
  void queuesRouteEveryCommandToExactlyOneWorkerQueue() {
    List<String> requests = routingKeys("berth.requests");
    List<String> host = routingKeys("berth.host.{hostId}");

    assertThat(requests).containsExactly(EventType.TRANSCODER_REQUESTED.typeName());
    Set<String> all = new HashSet<>(requests);
    all.addAll(host);
    assertThat(all).hasSize(requests.size() + host.size()).containsExactlyInAnyOrderElementsOf(
        Arrays.stream(EventType.values()).filter(t -> t.kind() == EventType.Kind.COMMAND).map(EventType::typeName).toList());
  }

  @Test
  void workerQueuesAreQuorumAndDeadLetterAtLeastOnce() {
    for (String queue : List.of(Contract.REQUESTS_QUEUE, "berth.host.{hostId}")) {
      JsonNode args = api.at("/channels/" + escape(queue) + "/bindings/amqp/x-arguments");
      assertThat(args.get("x-queue-type").asText()).as(queue).isEqualTo("quorum");
      assertThat(args.get("x-dead-letter-exchange").asText()).isEqualTo(Contract.DEAD_LETTER_EXCHANGE);
      assertThat(args.get("x-dead-letter-strategy").asText()).isEqualTo("at-least-once");
      assertThat(args.get("x-overflow").asText()).isEqualTo("reject-publish");
      assertThat(args.get("x-delivery-limit").asInt()).isEqualTo(Contract.DELIVERY_LIMIT);
    }
    JsonNode deadLetter = api.at("/channels/" + Contract.DEAD_LETTER_QUEUE + "/bindings/amqp");
    assertThat(deadLetter.at("/queue/name").asText()).isEqualTo(Contract.DEAD_LETTER_QUEUE);
    assertThat(deadLetter.at("/x-arguments/x-queue-type").asText()).isEqualTo("quorum");
    assertThat(deadLetter.at("/x-exchange/name").asText()).isEqualTo(Contract.DEAD_LETTER_EXCHANGE);
  }

  @Test
  void deadLetterHeadersMatchTheContract() {
    JsonNode headers = api.at("/components/messages/DeadLetteredCommand/headers/properties");
    assertThat(headers.fieldNames()).toIterable().containsExactlyInAnyOrder(
        Contract.REASON_CODE_HEADER, Contract.REASON_HEADER, Contract.REJECTED_BY_HEADER);
    assertThat(headers.get(Contract.REASON_CODE_HEADER).get("enum")).extracting(JsonNode::asText)
        .containsExactlyElementsOf(Arrays.stream(RejectionCode.values()).map(RejectionCode::code).toList());
  }

  private static List<String> routingKeys(String channel) {
    List<String> keys = new ArrayList<>();
    for (JsonNode binding : api.at("/channels/" + escape(channel) + "/bindings/amqp/x-bindings")) {
      assertThat(binding.get("exchange").asText()).isEqualTo(Contract.COMMANDS_EXCHANGE);
      binding.get("routingKeys").forEach(k -> keys.add(k.asText()));
    }
    return keys;
  }

  /** JSON Pointer escaping for channel names containing '/' or '~'. */
  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().equals("$ref")) {
          refs.add(e.getValue().asText());
        } else {
          collectRefs(e.getValue(), refs);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, refs));
    }
  }
}
