package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.events.CloudEvent;
import io.berth.events.Contract;
import java.time.Duration;
import io.berth.events.TranscoderRequested;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;

/**
 * The ipvlan path runs for real up to the kernel: on a kernel without ipvlan (like CI's) Docker refuses to create the
 * port. The worker must say so plainly, leave no container behind, and stop taking the fleet's requests (the request
 * goes back for a host that can serve it). On a kernel with ipvlan this test would see a TranscoderStarted instead,
 * and says so.
 */
class IpvlanIT extends WorkerItSupport {

  @Test
  void kernelWithoutIpvlanMakesTheHostUnfitNamingTheMissingSupport() throws Exception {
    Map<String, String> env = WorkerHarness.env(lan, network, hostId());
    env.put("BERTH_NETWORK_DRIVER", "ipvlan");
    env.put("BERTH_IPVLAN_MODE", "l2");
    WorkerHarness worker = startWorker(env);
    CloudEvent<TranscoderRequested> request = request("ipv", "tx-1", "room-1");
    tap.publish(request);

    await().atMost(Duration.ofSeconds(60))
        .until(() -> worker.worker().unfitReason().isPresent() || !tap.causedBy(request.id()).isEmpty());
    org.junit.jupiter.api.Assumptions.assumeTrue(tap.causedBy(request.id()).isEmpty(),
        "this kernel supports ipvlan: the refusal path cannot be exercised here");
    assertThat(worker.worker().unfitReason().orElseThrow()).startsWith("kernel-unsupported")
        .contains("kernel does not support the ipvlan network driver").contains("modprobe ipvlan");
    await().atMost(Duration.ofSeconds(30)).until(() -> !worker.worker().takingRequests()
        && RabbitCtl.queueMessages(Contract.REQUESTS_QUEUE) == 1);
    assertThat(tap.drainDeadLetters()).as("nothing dead-lettered: another host may serve it").isEmpty();
    assertThat(containersOf("ipv")).as("the container that could not start is removed").isEmpty();
  }
}
