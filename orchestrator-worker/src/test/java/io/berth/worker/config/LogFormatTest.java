package io.berth.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** The shipped logback.xml, configured in a context of its own as the worker would be with BERTH_LOG_FORMAT set. */
class LogFormatTest {

  /** Logs two lines (one inside a command's MDC) through the production configuration; returns what reached stdout. */
  private static List<String> logThroughShippedConfig(Map<String, String> properties) throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter());
    properties.forEach(context::putProperty); // looked up before system properties and the environment
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
      Logger log = context.getLogger("io.berth.worker.Test");
      MDC.put("eventId", "3f0c8a52-0000-4000-8000-000000000001");
      MDC.put("commandType", "TranscoderRequested");
      MDC.put("subject", "acme/tx-1");
      try {
        log.info("command received: type={} note=\"quoted\"", "TranscoderRequested");
      } finally {
        MDC.clear();
      }
      log.warn("outside any command");
    } finally {
      System.setOut(original);
      context.stop();
    }
    return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void jsonFormatWritesOneParseableObjectPerLineWithTheCommandFields() throws Exception {
    List<String> lines = logThroughShippedConfig(Map.of("BERTH_LOG_FORMAT", "json"));

    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode inCommand = json.readTree(lines.get(0));
    assertThat(inCommand.path("eventId").asText()).isEqualTo("3f0c8a52-0000-4000-8000-000000000001");
    assertThat(inCommand.path("commandType").asText()).isEqualTo("TranscoderRequested");
    assertThat(inCommand.path("subject").asText()).isEqualTo("acme/tx-1");
    assertThat(inCommand.path("message").asText()).isEqualTo("command received: type=TranscoderRequested note=\"quoted\"");
    assertThat(inCommand.path("level").asText()).isEqualTo("INFO");
    JsonNode outside = json.readTree(lines.get(1));
    assertThat(outside.path("level").asText()).isEqualTo("WARN");
    assertThat(outside.has("eventId")).as("no MDC, no field").isFalse();
  }

  @Test
  void defaultFormatStaysKeyValueLines() throws Exception {
    List<String> lines = logThroughShippedConfig(Map.of());

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("ts=").contains(" level=INFO ")
        .contains(" eventId=3f0c8a52-0000-4000-8000-000000000001 ").contains(" subject=acme/tx-1 ")
        .contains("msg=\"command received: type=TranscoderRequested note=\\\"quoted\\\"\"");
    assertThat(lines.get(1)).contains(" eventId=- ");
  }

  @Test
  void textFormatByNameIsTheDefault() throws Exception {
    assertThat(logThroughShippedConfig(Map.of("BERTH_LOG_FORMAT", "text"))).hasSize(2).allMatch(l -> l.startsWith("ts="));
  }
}
