package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import io.berth.events.CloudEvent;
import io.berth.events.TranscoderRequested;
import io.berth.worker.messaging.BrokerClaims;
import io.berth.worker.messaging.ConfirmingPublisher;
import io.berth.worker.provisioning.TranscoderKey;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Cluster-wide claims, on the real broker: one host per transcoder across Docker engines, even for a request
 * duplicated upstream or redelivered after a dropped connection; a dead host's claims lapse.
 */
class ClaimsIT extends WorkerItSupport {

  private static TranscoderKey freshKey() {
    return new TranscoderKey("claims", "tx-" + UUID.randomUUID().toString().substring(0, 8));
  }

  private static BrokerClaims claims(Connection connection, String host, Duration ttl) throws Exception {
    return new BrokerClaims(connection, new ConfirmingPublisher(connection), host, ttl);
  }


  @Test
  void oneHostHoldsATranscoderUntilItReleasesIt() throws Exception {
    try (Connection a = TestBroker.connect("berth-test-claims-a");
         Connection b = TestBroker.connect("berth-test-claims-b")) {
      BrokerClaims hostA = claims(a, "host-a", Duration.ofMinutes(2));
      BrokerClaims hostB = claims(b, "host-b", Duration.ofMinutes(2));
      TranscoderKey key = freshKey();
      try {
        assertThat(hostA.claim(key)).isEmpty();
        assertThat(hostB.claim(key)).contains("host-a");
        assertThat(hostA.claim(key)).as("the holder may claim again, e.g. after its own restart").isEmpty();
        assertThat(hostB.claim(key)).contains("host-a");
        hostA.release(key);
        assertThat(hostB.claim(key)).isEmpty();
        assertThat(hostA.claim(key)).contains("host-b");
      } finally {
        hostB.release(key);
      }
    }
  }

  @Test
  void aDeadHostsClaimLapsesAndARenewedOneDoesNot() throws Exception {
    try (Connection a = TestBroker.connect("berth-test-claims-a");
         Connection b = TestBroker.connect("berth-test-claims-b")) {
      BrokerClaims hostA = claims(a, "host-a", Duration.ofSeconds(2));
      BrokerClaims hostB = claims(b, "host-b", Duration.ofSeconds(2));
      TranscoderKey renewed = freshKey();
      TranscoderKey abandoned = freshKey();
      try {
        assertThat(hostA.claim(renewed)).isEmpty();
        assertThat(hostA.claim(abandoned)).isEmpty();
        // host-a keeps renewing one claim and forgets the other, as if that transcoder's host had died
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(500))
            .until(() -> {
              hostA.renew(renewed);
              return true;
            });
        assertThat(hostB.claim(abandoned)).as("lapsed: another host takes over").isEmpty();
        assertThat(hostB.claim(renewed)).as("renewed: still held").contains("host-a");
      } finally {
        hostA.release(renewed);
        hostB.release(abandoned);
      }
    }
  }

  @Test
  void aWorkerDoesNotProvisionWhatAHostOnAnotherEngineHolds() throws Exception {
    WorkerHarness worker = startWorker(hostId());
    try (Connection other = TestBroker.connect("berth-test-claims")) {
      BrokerClaims otherEngine = claims(other, "host-on-another-engine", Duration.ofMinutes(2));
      TranscoderKey key = new TranscoderKey("claims", "held-elsewhere");
      assertThat(otherEngine.claim(key)).isEmpty();
      try {
        worker.docker().clear();
        CloudEvent<TranscoderRequested> duplicate = request("claims", "held-elsewhere", "room");
        tap.publish(duplicate);
        // Taken from the queue and settled: nothing waiting, nothing in hand, for a whole second.
        await().atMost(Duration.ofSeconds(30)).during(Duration.ofSeconds(1))
            .until(() -> requestQueueIsEmpty() && worker.worker().idle());
        assertThat(tap.drainDeadLetters()).as("acked as a no-op, not dead-lettered").isEmpty();
        assertThat(worker.docker().calls()).noneMatch(c -> c.startsWith("create"));
        assertThat(containersOf("claims")).isEmpty();
        assertThat(tap.causedBy(duplicate.id())).isEmpty();

        otherEngine.release(key); // that host released it: now this worker may take it
        CloudEvent<TranscoderRequested> again = request("claims", "held-elsewhere", "room");
        tap.publish(again);
        assertThat(awaitEventCausedBy(again.id()).type()).isEqualTo("TranscoderStarted");
        assertThat(containersOf("claims")).hasSize(1);
      } finally {
        otherEngine.release(key);
      }
    }
  }

  private static boolean requestQueueIsEmpty() throws Exception {
    try (Connection c = TestBroker.connect("berth-test-claims"); com.rabbitmq.client.Channel channel = c.createChannel()) {
      return channel.queueDeclarePassive(io.berth.events.Contract.REQUESTS_QUEUE).getMessageCount() == 0;
    }
  }
}
