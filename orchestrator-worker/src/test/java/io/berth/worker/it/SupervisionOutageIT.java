package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.events.CloudEvent;
import io.berth.events.ContainerCrashed;
import io.berth.events.ProvisioningFailed;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderRestarted;
import io.berth.events.TranscoderStarted;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A crash while the broker cannot take events: the restart happens anyway, the crash is reported once the broker is
 * back, and the outage does not turn one crash into a crash loop (each reconcile pass used to count it again).
 */
class SupervisionOutageIT extends WorkerItSupport {

  @Test
  void aCrashDuringAPublishOutageIsRestartedAndReportedAfterwardsWithoutAFalseCrashLoop() throws Exception {
    String host = hostId();
    Map<String, String> env = WorkerHarness.env(lan, network, host);
    env.put("BERTH_RESTART_MAX", "2");
    env.put("BERTH_RESTART_INITIAL_BACKOFF_MS", "200");
    env.put("BERTH_RESTART_MAX_BACKOFF_MS", "400");
    env.put("BERTH_RECONCILE_SECONDS", "1");
    startWorker(env);
    CloudEvent<TranscoderRequested> request = request("sup-out", "tx-1", "room");
    tap.publish(request);
    TranscoderStarted started = (TranscoderStarted) awaitEventCausedBy(request.id()).data();

    String publishing = "berth-worker-" + host + "-publish";
    assertThat(RabbitCtl.closeConnection(publishing, "berth test: publish outage")).isEqualTo(1);
    CompletableFuture<Void> outage = 
        CompletableFuture.runAsync(() -> RabbitCtl.keepClosed(publishing, Duration.ofSeconds(10)));
    assertThat(lan.httpGet(started.ipAddress(), 8081, "/rest-api/crash")).isPresent();
    // Restarted on its address while nothing can be published.
    await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofSeconds(1))
        .until(() -> lan.httpGet(started.ipAddress(), 8081, "/rest-api/").isPresent());
    outage.join();

    await().atMost(Duration.ofSeconds(60)).until(() -> !tap.events(TranscoderRestarted.class,
        r -> r.transcoderId().equals("tx-1")).isEmpty());
    assertThat(tap.events(ContainerCrashed.class, c -> c.transcoderId().equals("tx-1")))
        .singleElement().extracting(ContainerCrashed::willRestart).isEqualTo(true);
    assertThat(tap.events(TranscoderRestarted.class, r -> r.transcoderId().equals("tx-1")))
        .extracting(TranscoderRestarted::restartCount).containsExactly(1);
    assertThat(tap.events(ProvisioningFailed.class)).as("no crash-loop from an outage").isEmpty();
    assertThat(lan.httpGet(started.ipAddress(), 8081, "/rest-api/")).isPresent();
  }

}
