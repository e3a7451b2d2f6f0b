package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.events.CloudEvent;
import io.berth.events.EventData;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With BERTH_NETWORK_HOST_SHIM the host gets an interface of its own on the LAN: the worker reaches its transcoders
 * and asks their readiness over HTTP, so a start costs the daemon no exec.
 */
class HostShimIT extends WorkerItSupport {

  @Test
  void readinessIsAskedOverHttpThroughTheShimWithoutAnExec() throws Exception {
    Map<String, String> env = new HashMap<>(WorkerHarness.env(lan, network, hostId()));
    env.put("BERTH_NETWORK_HOST_SHIM", lan.address(250));
    WorkerHarness worker = startWorker(env);
    worker.docker().clear();

    CloudEvent<TranscoderRequested> request = request("shim", "tx-1", "room-1");
    tap.publish(request);
    CloudEvent<EventData> event = awaitEventCausedBy(request.id());

    assertThat(event.data()).isInstanceOf(TranscoderStarted.class);
    String address = ((TranscoderStarted) event.data()).ipAddress();
    assertThat(worker.docker().calls()).as("Docker calls of the request").contains("create berth-shim-tx-1")
        .doesNotContain("exec");
    assertThat(httpStatusFromThisHost(address)).as("this host reaches its transcoder").isEqualTo(200);
    assertThat(lan.httpGet(address, 8081, "/rest-api/")).as("and the LAN still does").isPresent();
  }

  @Test
  void aShimTheKernelRefusesStopsTheWorkerWithTheFix() throws Exception {
    Map<String, String> env = new HashMap<>(WorkerHarness.env(lan, network, hostId()));
    env.put("BERTH_NETWORK_HOST_SHIM", lan.address(250));
    env.put("BERTH_NETWORK_PARENT", "lo"); // a loopback device takes no macvlan child

    assertThatThrownBy(() -> startWorker(env)).hasMessageContaining("BERTH_NETWORK_HOST_SHIM")
        .hasMessageContaining("unset BERTH_NETWORK_HOST_SHIM");
  }

  private static int httpStatusFromThisHost(String address) throws Exception {
    HttpURLConnection c = (HttpURLConnection) URI.create("http://" + address + ":8081/rest-api/").toURL()
        .openConnection();
    c.setConnectTimeout(2000);
    c.setReadTimeout(2000);
    try {
      return c.getResponseCode();
    } finally {
      c.disconnect();
    }
  }
}
