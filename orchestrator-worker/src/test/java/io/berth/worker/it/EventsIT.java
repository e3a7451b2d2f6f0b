package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.CloudEvent;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import io.berth.events.testing.Examples;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code berth events} against a live worker: the lifecycle of a transcoder, followed as it happens. */
class EventsIT extends WorkerItSupport {

  /** Runs {@code berth events} until its --limit; returns once it follows (its first stderr line). */
  private static CompletableFuture<Cli.Result> follow(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(Cli.events(Map.of("BERTH_AMQP_URI", TestBroker.amqpUri())))
        .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    CompletableFuture<Cli.Result> done = CompletableFuture.supplyAsync(() -> {
      int exit = cli.execute(args);
      return new Cli.Result(exit, out.toString(), err.toString());
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> err.toString().contains("berth: following "));
    return done;
  }

  @Test
  void followsATranscodersLifecycleAsReadableLines() throws Exception {
    startWorker(hostId());
    CompletableFuture<Cli.Result> following = follow("--tenant", "events", "--limit", "2");
    tap.publish(request("someone-else", "tx-9", "room")); // another tenant: left out
    CloudEvent<TranscoderRequested> request = request("events", "tx-1", "room-7");
    tap.publish(request);
    TranscoderStarted started = (TranscoderStarted) awaitEventCausedBy(request.id()).data();
    tap.publish(Examples.transcoderReleased("events", "tx-1"));

    Cli.Result r = following.get(60, TimeUnit.SECONDS);

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.lines()).hasSize(2);
    assertThat(r.lines().get(0)).contains("  TranscoderStarted    events/tx-1  ").contains("  " + started.hostId() + " ")
        .endsWith("room=room-7 ip=" + started.ipAddress() + " container=" + started.containerName());
    assertThat(r.lines().get(1)).contains("  TranscoderStopped    events/tx-1  ")
        .endsWith("reason=released removed=true");
  }

  @Test
  void jsonPrintsTheCloudEventsOfTheTypesAskedFor() throws Exception {
    startWorker(hostId());
    CompletableFuture<Cli.Result> following = follow("--json", "--type", "TranscoderStarted", "--type",
        "WorkerHeartbeat", "--limit", "2");
    CloudEvent<TranscoderRequested> request = request("events-json", "tx-1", "room");
    tap.publish(request);
    awaitEventCausedBy(request.id());

    Cli.Result r = following.get(60, TimeUnit.SECONDS);

    assertThat(r.exitCode()).as(r.err()).isZero();
    ObjectMapper json = new ObjectMapper();
    for (String line : r.lines()) {
      JsonNode event = json.readTree(line);
      assertThat(event.path("specversion").asText()).isEqualTo("1.0");
      assertThat(event.path("type").asText()).isIn("TranscoderStarted", "WorkerHeartbeat");
    }
  }
}
