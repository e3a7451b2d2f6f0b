package io.berth.worker.it;

import static io.berth.worker.http.PageDom.cells;
import static io.berth.worker.http.PageDom.hasRow;
import static io.berth.worker.http.PageDom.openingTag;
import static io.berth.worker.http.PageDom.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.events.CloudEvent;
import io.berth.events.TranscoderReleased;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import io.berth.events.TranscoderStopped;
import io.berth.events.testing.Examples;
import io.berth.worker.http.HeadlessChromium;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fleet page of a real worker, in headless Chromium: empty at first, then the transcoder a request made (its
 * address linked to its WCS admin, running, not highlighted), and after its release, gone again — read from Docker,
 * as the worker's page reads it (cached for two seconds).
 */
class FleetPageIT extends WorkerItSupport {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private String api(int port) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/transcoders"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void thePageShowsTheTranscoderARequestMadeAndSeesItGo() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.find().orElse(null);
    assumeTrue(chromium != null, HeadlessChromium.MISSING);
    int port = freePort();
    String host = hostId();
    Map<String, String> env = WorkerHarness.env(lan, network, host);
    env.put("BERTH_HTTP_PORT", Integer.toString(port));
    startWorker(env);
    String page = "http://127.0.0.1:" + port + "/";

    String empty = chromium.dumpDom(page, Duration.ofSeconds(2));
    assertThat(empty).contains("host " + host).doesNotContain("data-key=\"page/tx-1\"");

    CloudEvent<TranscoderRequested> request = request("page", "tx-1", "room-1");
    tap.publish(request);
    TranscoderStarted started = (TranscoderStarted) awaitEventCausedBy(request.id()).data();
    String address = started.ipAddress();
    await().atMost(Duration.ofSeconds(10)).until(() -> api(port).contains("\"transcoderId\":\"tx-1\""));

    String shown = chromium.dumpDom(page, Duration.ofSeconds(2));
    String row = row(shown, "page/tx-1");
    assertThat(cells(row)).startsWith("page", "tx-1", "room-1", address, host, "running");
    assertThat(row).contains("href=\"https://" + address + ":8444/\"");
    assertThat(openingTag(row)).doesNotContain("alert");

    CloudEvent<TranscoderReleased> release = Examples.transcoderReleased("page", "tx-1");
    tap.publish(release);
    assertThat(awaitEventCausedBy(release.id()).data()).isInstanceOf(TranscoderStopped.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> !api(port).contains("\"transcoderId\":\"tx-1\""));

    assertThat(hasRow(chromium.dumpDom(page, Duration.ofSeconds(2)), "page/tx-1")).isFalse();
  }
}
