package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.events.CloudEvent;
import io.berth.events.TranscoderReleased;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import io.berth.events.TranscoderStopped;
import io.berth.events.testing.Examples;
import org.junit.jupiter.api.Test;

/** A transcoder network deleted behind Berth's back (an operator's `docker network prune`) is made again. */
class NetworkRecreateIT extends WorkerItSupport {

  @Test
  void aPrunedNetworkIsRecreatedAndTheNextRequestServed() throws Exception {
    startWorker(hostId());
    CloudEvent<TranscoderRequested> first = request("net", "tx-1", "room");
    tap.publish(first);
    assertThat(awaitEventCausedBy(first.id()).data()).isInstanceOf(TranscoderStarted.class);
    CloudEvent<TranscoderReleased> release = Examples.transcoderReleased("net", "tx-1");
    tap.publish(release);
    assertThat(awaitEventCausedBy(release.id()).data()).isInstanceOf(TranscoderStopped.class);

    TestDocker.client().removeNetworkCmd(network).exec(); // unused now: what a prune removes

    CloudEvent<TranscoderRequested> second = request("net", "tx-2", "room");
    tap.publish(second);
    TranscoderStarted started = (TranscoderStarted) awaitEventCausedBy(second.id()).data();
    assertThat(TestDocker.client().inspectNetworkCmd().withNetworkId(network).exec().getName()).isEqualTo(network);
    assertThat(lan.httpGet(started.ipAddress(), 8081, "/rest-api/")).isPresent();
  }
}
