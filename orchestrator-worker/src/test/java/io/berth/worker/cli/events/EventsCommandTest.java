package io.berth.worker.cli.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.events.EventCodec;
import io.berth.events.LifecycleData;
import io.berth.events.StopReason;
import io.berth.events.TranscoderStarted;
import io.berth.events.TranscoderStopped;
import io.berth.events.WorkerHeartbeat;
import io.berth.worker.cli.EventsCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@code berth events} through picocli, the broker faked: a feed that delivers a script of messages. */
class EventsCommandTest {
  private static final EventCodec CODEC = new EventCodec();
  private final List<byte[]> script = new ArrayList<>();
  private final List<String> subscribedKeys = new ArrayList<>();
  private final List<String> uris = new ArrayList<>();
  private final List<List<String>> nodes = new ArrayList<>();
  private Map<String, String> env = Map.of("BERTH_AMQP_URI", "amqp://guest:pw@rabbit:5672/prod");
  private final AtomicBoolean closed = new AtomicBoolean();
  private String endsWith;
  private Exception refusal;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private void publish(LifecycleData data) {
    script.add(CODEC.encode(EventLineTest.event("host-a", data)));
  }

  private int run(String... args) {
    EventFeed feed = (keys, listener) -> {
      if (refusal != null) {
        throw refusal;
      }
      subscribedKeys.addAll(keys);
      Thread delivery = new Thread(() -> {
        script.forEach(listener::event);
        if (endsWith != null) {
          listener.ended(endsWith);
        }
      });
      delivery.start();
      return () -> closed.set(true);
    };
    EventsCommand command = new EventsCommand(env, uri -> {
      uris.add(uri.uri().reveal());
      nodes.add(uri.nodes());
      return feed;
    });
    return new picocli.CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
  }

  @Test
  void printsMatchingEventsAsLinesAndStopsAtTheLimit() {
    publish(new WorkerHeartbeat("host-a", 20, 0, 20));
    publish(new TranscoderStarted("globex", "tc-9", "lobby", "host-a", "c", "berth-globex-tc-9", "n", "192.0.2.9"));
    publish(new TranscoderStarted("acme", "tc-1", "room", "host-a", "c", "berth-acme-tc-1", "n", "192.0.2.10"));
    script.add("{\"not\":\"an event\"}".getBytes(StandardCharsets.UTF_8));
    publish(new TranscoderStopped("acme", "tc-1", "host-a", StopReason.RELEASED, true));
    publish(new TranscoderStopped("acme", "tc-2", "host-a", StopReason.RELEASED, true));

    assertThat(run("--tenant", "acme", "--limit", "2")).isZero();

    assertThat(out.toString().lines()).hasSize(2).satisfiesExactly(
        l -> assertThat(l).contains("TranscoderStarted    acme/tc-1").endsWith("ip=192.0.2.10 container=berth-acme-tc-1"),
        l -> assertThat(l).contains("TranscoderStopped    acme/tc-1").endsWith("reason=released removed=true"));
    assertThat(err.toString()).contains("berth: following TranscoderStarted, TranscoderStopped,")
        .contains("of tenant acme at amqp://guest@rabbit:5672/prod")
        .contains("berth: skipped a message that is not a valid Berth event (invalid-envelope)")
        .doesNotContain("pw");
    assertThat(uris).containsExactly("amqp://guest:pw@rabbit:5672/prod");
    assertThat(subscribedKeys).doesNotContain("WorkerHeartbeat");
    assertThat(closed).as("the subscription (and its queue) is gone").isTrue();
  }

  @Test
  void jsonPrintsEachCloudEventOnOneLine() throws Exception {
    publish(new WorkerHeartbeat("host-a", 20, 1, 19));
    assertThat(run("--json", "--type", "WorkerHeartbeat", "--limit", "1", "--amqp-uri", "amqp://other")).isZero();
    assertThat(out.toString().lines()).singleElement().satisfies(line -> {
      var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
      assertThat(json.path("type").asText()).isEqualTo("WorkerHeartbeat");
      assertThat(json.path("data").path("free").asInt()).isEqualTo(19);
    });
    assertThat(subscribedKeys).containsExactly("WorkerHeartbeat");
    assertThat(uris).containsExactly("amqp://other");
  }

  /** The worker's own variables: a cluster's nodes reach the feed, and a bad list is refused before connecting. */
  @Test
  void theNodesOfABrokerClusterAreUsedAsTheWorkerUsesThem() {
    publish(new TranscoderStarted("acme", "tc-1", "room", "host-a", "c", "berth-acme-tc-1", "n", "192.0.2.10"));
    env = Map.of("BERTH_AMQP_URI", "amqp://guest:pw@rabbit:5672/prod", "BERTH_AMQP_ADDRESSES", "rmq1:5681, rmq2");
    assertThat(run("--limit", "1")).isZero();
    assertThat(nodes).containsExactly(List.of("rmq1:5681", "rmq2"));
    assertThat(err.toString()).contains("via nodes [rmq1:5681, rmq2]").doesNotContain("pw");

    env = Map.of("BERTH_AMQP_ADDRESSES", "rmq1:99999");
    nodes.clear();
    assertThat(run("--limit", "1")).isEqualTo(2);
    assertThat(err.toString()).contains("BERTH_AMQP_ADDRESSES: 'rmq1:99999' is not host or host:port");
    assertThat(nodes).isEmpty();
  }

  @Test
  void aSubscriptionTheBrokerEndsFailsTheCommand() {
    endsWith = "the broker cancelled the subscription (its queue was deleted)";
    assertThat(run()).isEqualTo(1);
    assertThat(err.toString()).endsWith("berth: the broker cancelled the subscription (its queue was deleted)"
        + System.lineSeparator());
  }

  @Test
  void anUnreachableBrokerOrABadTypeIsSaid() {
    refusal = new ConnectException("Connection refused");
    assertThat(run()).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("berth: cannot follow events at amqp://guest@rabbit:5672/prod: Connection"
        + " refused" + System.lineSeparator());
    assertThat(run("--type", "RoomClosed")).isEqualTo(2);
    assertThat(err.toString()).contains("--type RoomClosed is not a lifecycle event");
  }
}
