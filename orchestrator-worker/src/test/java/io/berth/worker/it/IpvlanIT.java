package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.events.CloudEvent;
import io.berth.events.Contract;
import io.berth.events.ProvisioningFailed;
import io.berth.events.TranscoderRequested;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ipvlan path runs for real up to the kernel: on a kernel without ipvlan (like CI's) Docker refuses to create the
 * port, and the worker must say so plainly, dead-letter the request and leave no container behind. On a kernel with
 * ipvlan this test would see a TranscoderStarted instead, and says so.
 */
class IpvlanIT extends WorkerItSupport {

  @Test
  void kernelWithoutIpvlanEndsInProvisioningFailedNamingTheMissingSupport() throws Exception {
    Map<String, String> env = WorkerHarness.env(lan, network, hostId());
    env.put("BERTH_NETWORK_DRIVER", "ipvlan");
    env.put("BERTH_IPVLAN_MODE", "l2");
    startWorker(env);
    CloudEvent<TranscoderRequested> request = request("ipv", "tx-1", "room-1");
    tap.publish(request);

    Object outcome = awaitEventCausedBy(request.id()).data();
    org.junit.jupiter.api.Assumptions.assumeTrue(outcome instanceof ProvisioningFailed,
        "this kernel supports ipvlan: the refusal path cannot be exercised here");
    ProvisioningFailed failed = (ProvisioningFailed) outcome;
    assertThat(failed.code()).isEqualTo("kernel-unsupported");
    assertThat(failed.message()).contains("kernel does not support the ipvlan network driver")
        .contains("modprobe ipvlan");
    assertThat(failed.retriable()).isFalse();
    assertThat(header(awaitDeadLetters(1).get(0), Contract.REASON_CODE_HEADER)).isEqualTo("kernel-unsupported");
    assertThat(containersOf("ipv")).as("the container that could not start is removed").isEmpty();
  }
}
