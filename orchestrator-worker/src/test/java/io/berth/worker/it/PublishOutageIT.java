package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.events.CloudEvent;
import io.berth.events.Contract;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Transient broker trouble costs a command time, not deliveries: a request whose lifecycle event cannot be published
 * for longer than its whole delivery limit lasts (at one requeue per failure) is held and served, not dead-lettered.
 */
class PublishOutageIT extends WorkerItSupport {
  /** amqp-client reconnects every 5 s; closing the connection each time it is back keeps publishing down. */
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  @Test
  void aRequestIsHeldThroughAPublishOutageLongerThanItsDeliveryLimitAndServedAfterwards() throws Exception {
    String host = hostId();
    startWorker(host);
    String publishing = "berth-worker-" + host + "-publish";
    assertThat(RabbitCtl.closeConnection(publishing, "berth test: publish outage")).isEqualTo(1);
    CompletableFuture<Void> outage = CompletableFuture.runAsync(() -> RabbitCtl.keepClosed(publishing, OUTAGE));

    CloudEvent<TranscoderRequested> request = request("outage", "tx-1", "room-1");
    tap.publish(request);

    assertThat(awaitEventCausedBy(request.id()).data()).isInstanceOf(TranscoderStarted.class);
    outage.join();
    deadLetters.addAll(tap.drainDeadLetters());
    assertThat(deadLetters).as("dead letters of the request (%s deliveries allowed)", Contract.DELIVERY_LIMIT)
        .noneMatch(d -> new String(d.getBody(), StandardCharsets.UTF_8).contains(request.id()));
    assertThat(tap.causedBy(request.id())).hasSize(1);
    assertThat(containersOf("outage")).hasSize(1);
  }

  /**
   * No Docker and no claim in the way: the only step that can fail is publishing {@code CommandRejected}, so before
   * the fix each failure was a requeue and the broker dead-lettered the command at its delivery limit, unexplained.
   */
  @Test
  void aRejectionIsExplainedAfterAPublishOutageInsteadOfBurningItsDeliveries() throws Exception {
    String host = hostId();
    startWorker(host);
    String publishing = "berth-worker-" + host + "-publish";
    assertThat(RabbitCtl.closeConnection(publishing, "berth test: publish outage")).isEqualTo(1);
    CompletableFuture<Void> outage = 
        CompletableFuture.runAsync(() -> RabbitCtl.keepClosed(publishing, Duration.ofSeconds(12)));

    CloudEvent<TranscoderRequested> request = request("outage", "tx-2", "room-1");
    String invalid = new String(new io.berth.events.EventCodec().encode(request), StandardCharsets.UTF_8)
        .replace("\"tx-2\"", "\"TX_2\"");
    tap.publishRaw("TranscoderRequested", invalid.getBytes(StandardCharsets.UTF_8));

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
      deadLetters.addAll(tap.drainDeadLetters());
      return deadLetters.stream().anyMatch(d -> new String(d.getBody(), StandardCharsets.UTF_8).contains(request.id()));
    });
    outage.join();
    com.rabbitmq.client.GetResponse dead = deadLetters.stream()
        .filter(d -> new String(d.getBody(), StandardCharsets.UTF_8).contains(request.id())).findFirst().orElseThrow();
    assertThat(header(dead, Contract.REASON_CODE_HEADER)).as("dead-lettered by the worker, with its reason, not by"
        + " the broker at the delivery limit").isEqualTo("invalid-identifier");
    assertThat(tap.events(io.berth.events.CommandRejected.class, r -> request.id().equals(r.commandId()))).hasSize(1);
  }

}
