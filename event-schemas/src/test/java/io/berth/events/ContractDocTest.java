package io.berth.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/event-contract.md is for humans, but its examples and names must be true. */
class ContractDocTest {

  private static final Path DOC = Path.of("..", "docs", "event-contract.md");
  private static final Pattern JSON_BLOCK = Pattern.compile("^```json\\n(.*?)^```", Pattern.DOTALL | Pattern.MULTILINE);
  private static final EventCodec CODEC = new EventCodec();

  private static String doc;
  private static final List<CloudEvent<EventData>> examples = new ArrayList<>();

  @BeforeAll
  static void decodeEveryJsonBlock() throws IOException, RejectedEventException {
    doc = Files.readString(DOC);
    Matcher m = JSON_BLOCK.matcher(doc);
    while (m.find()) {
      examples.add(CODEC.decode(m.group(1).getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void thereIsExactlyOneExamplePerEventType() {
    assertThat(examples).extracting(CloudEvent::eventType).containsExactly(EventType.values());
  }

  @Test
  void examplesRoundTripAndReValidate() throws RejectedEventException {
    for (CloudEvent<EventData> example : examples) {
      byte[] encoded = CODEC.encode(example);
      assertThat(CODEC.decode(encoded)).as(example.type()).isEqualTo(example);
    }
  }

  @Test
  void commandExamplesPassTheWorkersDecoder() throws RejectedEventException {
    for (CloudEvent<EventData> example : examples) {
      if (example.eventType().kind() == EventType.Kind.COMMAND) {
        assertThat(CODEC.decodeCommand(CODEC.encode(example)).data()).isEqualTo(example.data());
      }
    }
  }

  @Test
  void lifecycleExampleIdsAreTheDeterministicIds() {
    for (CloudEvent<EventData> example : examples) {
      if (example.causationid() != null) {
        // the room event's example is the first report under its demand: occurrence 1, as the document says
        String occurrence = example.eventType() == EventType.ROOM_DEMAND_STATUS ? "1" : null;
        assertThat(example.id()).as(example.type())
            .isEqualTo(LifecycleIds.of(example.causationid(), occurrence, (LifecycleData) example.data()));
      }
    }
  }

  @Test
  void lifecycleExamplesAreCausedByTheCommandExamples() {
    List<String> commandIds = examples.stream()
        .filter(e -> e.eventType().kind() == EventType.Kind.COMMAND).map(CloudEvent::id).toList();
    examples.stream()
        .filter(e -> e.eventType() == EventType.TRANSCODER_STARTED || e.eventType() == EventType.TRANSCODER_STOPPED
            || e.eventType() == EventType.TRANSCODER_RESTARTED || e.eventType() == EventType.ROOM_DEMAND_STATUS)
        .forEach(e -> assertThat(commandIds).as(e.type()).contains(e.causationid()));
  }

  @Test
  void theCommandRejectedExampleShowsTheRealMessage() {
    CommandRejected example = examples.stream().map(CloudEvent::data)
        .filter(CommandRejected.class::isInstance).map(CommandRejected.class::cast).findFirst().orElseThrow();
    String body = "{\"specversion\":\"1.0\",\"id\":\"" + example.commandId() + "\",\"source\":\"urn:billing:eu-1\","
        + "\"type\":\"TranscoderRequested\",\"time\":\"2026-11-24T15:41:59Z\",\"datacontenttype\":\"application/json\","
        + "\"data\":{\"tenantId\":\"Acme_Corp\",\"transcoderId\":\"tc-0003\",\"roomId\":\"room-7\"}}";

    RejectedEventException e = catchThrowableOfType(RejectedEventException.class,
        () -> CODEC.decodeCommand(body.getBytes(StandardCharsets.UTF_8)));

    assertThat(e.code().code()).isEqualTo(example.code());
    assertThat(e.getMessage()).isEqualTo(example.message());
    assertThat(e.eventId()).isEqualTo(example.commandId());
    assertThat(e.eventType()).isEqualTo(example.commandType());
  }

  @Test
  void namesInTheDocMatchTheContract() {
    assertThat(doc).contains(Contract.COMMANDS_EXCHANGE, Contract.LIFECYCLE_EXCHANGE, Contract.DEAD_LETTER_EXCHANGE,
        Contract.REQUESTS_QUEUE, Contract.hostQueue("x").replace(".x", ".<hostId>"), Contract.CONTENT_TYPE,
        Contract.REASON_CODE_HEADER, Contract.REASON_HEADER, Contract.REJECTED_BY_HEADER,
        "x-delivery-limit: " + Contract.DELIVERY_LIMIT, Identifiers.PATTERN.pattern(),
        "/api/exchanges/%2F/berth.commands/publish", "rabbitmqadmin", "berth publish");
    for (RejectionCode code : RejectionCode.values()) {
      assertThat(doc).contains("`" + code.code() + "`");
    }
    for (EventType type : EventType.values()) {
      assertThat(doc).contains("### " + type.typeName() + "\n");
    }
  }
}
