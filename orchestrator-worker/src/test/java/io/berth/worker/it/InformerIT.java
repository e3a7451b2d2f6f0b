package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.events.CloudEvent;
import io.berth.events.EventData;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import io.berth.events.testing.Examples;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The worker reads Docker through an informer's copy (one list, then the event stream) and calls Docker only to change
 * something: what a request costs must not grow with what the host holds, and the copy must never hide a change made
 * outside Berth.
 */
class InformerIT extends WorkerItSupport {

  @Test
  void aRequestLeasesItsAddressWithoutListingContainersOrInspectingTheNetwork() throws Exception {
    WorkerHarness worker = startWorker(hostId());
    for (int i = 1; i <= 3; i++) {
      assertThat(awaitEventCausedBy(publish(request("inf", "tx-" + i, "room-1"))).data())
          .isInstanceOf(TranscoderStarted.class);
    }
    worker.docker().clear();

    CloudEvent<EventData> fourth = awaitEventCausedBy(publish(request("inf", "tx-4", "room-1")));

    assertThat(fourth.data()).isInstanceOf(TranscoderStarted.class);
    assertThat(((TranscoderStarted) fourth.data()).ipAddress()).isEqualTo(lan.address(35)); // x.32..34 are taken
    assertThat(worker.docker().calls()).as("Docker calls of one request").contains("create berth-inf-tx-4")
        .noneMatch(c -> c.startsWith("listManaged") || c.startsWith("endpointAddresses"));
  }

  @Test
  void aDuplicateOrANoOpCommandReadsNothingFromDocker() throws Exception {
    WorkerHarness worker = startWorker(hostId());
    CloudEvent<TranscoderRequested> request = request("inf", "tx-1", "room-1");
    assertThat(awaitEventCausedBy(publish(request)).data()).isInstanceOf(TranscoderStarted.class);
    worker.docker().clear();

    CloudEvent<TranscoderRequested> again = request("inf", "tx-1", "room-1");
    assertThat(awaitEventCausedBy(publish(again)).data()).isInstanceOf(TranscoderStarted.class);
    var release = Examples.transcoderReleased("inf", "nobody");
    tap.publish(release);
    await().atMost(Duration.ofSeconds(30)).until(() -> worker.worker().idle() && worker.commandsHandled() >= 3);

    assertThat(worker.docker().calls()).as("Docker calls of a duplicate and a no-op")
        .noneMatch(c -> c.startsWith("listManaged") || c.startsWith("find") || c.startsWith("endpointAddresses")
            || c.startsWith("create") || c.startsWith("start"));
  }

  @Test
  void aContainerRemovedOutsideBerthIsGoneFromTheCopyToo() throws Exception {
    startWorker(hostId());
    CloudEvent<EventData> first = awaitEventCausedBy(publish(request("inf", "tx-1", "room-1")));
    String containerId = ((TranscoderStarted) first.data()).containerId();

    TestDocker.client().removeContainerCmd(containerId).withForce(true).exec(); // an operator's docker rm -f
    await().atMost(Duration.ofSeconds(30)).until(() -> !tap.events(io.berth.events.TranscoderStopped.class,
        s -> s.tenantId().equals("inf")).isEmpty());

    CloudEvent<EventData> again = awaitEventCausedBy(publish(request("inf", "tx-1", "room-1")));
    assertThat(again.data()).isInstanceOfSatisfying(TranscoderStarted.class,
        s -> assertThat(s.containerId()).isNotEqualTo(containerId));
    assertThat(containersOf("inf")).hasSize(1);
  }

  private String publish(CloudEvent<? extends io.berth.events.CommandData> command) throws Exception {
    tap.publish(command);
    return command.id();
  }
}
