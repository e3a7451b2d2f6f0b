package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import io.berth.events.CloudEvent;
import io.berth.events.Contract;
import io.berth.events.TranscoderReleased;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import io.berth.events.TranscoderStopped;
import io.berth.events.testing.Examples;
import io.berth.worker.messaging.Topology;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A worker whose broker channels die consumes again by itself: after a server-side cancel (its queue deleted), after
 * channel-level errors (consuming from a queue that is not there closes the channel), after its connection is closed.
 */
class ConsumerRecoveryIT extends WorkerItSupport {

  @Test
  void aDeletedAndRedeclaredHostQueueIsConsumedAgain() throws Exception {
    String host = hostId();
    WorkerHarness worker = startWorker(host);
    CloudEvent<TranscoderRequested> request = request("recover", "tx-1", "room-1");
    tap.publish(request);
    assertThat(awaitEventCausedBy(request.id()).data()).isInstanceOf(TranscoderStarted.class);

    // The broker cancels the worker's consumer (basic.cancel); every attempt to consume again fails with 404, which
    // closes that channel. The worker says so rather than going quiet.
    tap.deleteQueue(Contract.hostQueue(host));
    await().atMost(Duration.ofSeconds(60)).until(() -> !worker.worker().consumersHealthy());

    try (Connection admin = TestBroker.connect("berth-test-recovery-admin")) {
      Topology.declare(admin, host, Contract.DELIVERY_LIMIT);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> worker.worker().consumersHealthy());

    CloudEvent<TranscoderReleased> release = Examples.transcoderReleased("recover", "tx-1");
    tap.publish(release);
    assertThat(awaitEventCausedBy(release.id()).data()).isInstanceOfSatisfying(TranscoderStopped.class,
        stopped -> assertThat(stopped.transcoderId()).isEqualTo("tx-1"));
    assertThat(containersOf("recover")).isEmpty();
  }

  @Test
  void aClosedBrokerConnectionIsRecoveredAndRequestsAreServedAgain() throws Exception {
    String host = hostId();
    WorkerHarness worker = startWorker(host);
    await().until(() -> worker.worker().consuming());

    assertThat(RabbitCtl.closeConnection("berth-worker-" + host, "berth test: connection lost")).isEqualTo(1);

    CloudEvent<TranscoderRequested> request = request("reconnect", "tx-1", "room-1");
    tap.publish(request);
    assertThat(awaitEventCausedBy(request.id()).data()).isInstanceOf(TranscoderStarted.class);
    CloudEvent<TranscoderReleased> release = Examples.transcoderReleased("reconnect", "tx-1");
    tap.publish(release);
    assertThat(awaitEventCausedBy(release.id()).data()).isInstanceOf(TranscoderStopped.class);
    assertThat(worker.worker().consumersHealthy()).isTrue();
  }
}
