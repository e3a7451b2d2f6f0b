package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.events.CloudEvent;
import io.berth.events.ProvisioningFailed;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 7 #12: a host whose start-up check fails (here: its default image is absent) must not take the fleet's
 * requests only to fail them; it says why, leaves them to hosts that can serve them, and takes requests again once
 * an operator fixes it.
 */
class HostFitnessIT extends WorkerItSupport {
  private static final String ABSENT_IMAGE = "berth/wcs-standin:fitness-it";

  @AfterEach
  void removeTag() {
    try {
      TestDocker.client().removeImageCmd(ABSENT_IMAGE).withForce(false).exec();
    } catch (RuntimeException ignored) {
      // never tagged, or already gone
    }
  }

  @Test
  void aHostWithoutItsDefaultImageLeavesRequestsToOthersAndTakesThemOnceFixed() throws Exception {
    String unfitHost = hostId();
    Map<String, String> unfitEnv = WorkerHarness.env(lan, network, unfitHost);
    unfitEnv.put("BERTH_IMAGE", ABSENT_IMAGE);
    unfitEnv.put("BERTH_ALLOWED_IMAGES", ABSENT_IMAGE + "," + TestDocker.STANDIN_IMAGE);
    unfitEnv.put("BERTH_RECONCILE_SECONDS", "1");
    WorkerHarness unfit = startWorker(unfitEnv);
    String fitHost = hostId();
    startWorker(fitHost);

    List<CloudEvent<TranscoderRequested>> requests = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      CloudEvent<TranscoderRequested> r = CloudEvent.command(java.util.UUID.randomUUID().toString(), "urn:berth:test",
          java.time.Instant.now(), new TranscoderRequested("fit", "tx-" + i, "room", null, null));
      requests.add(r);
      tap.publish(r);
    }
    await().atMost(Duration.ofSeconds(90)).until(() -> tap.events(TranscoderStarted.class).size() == 6);
    assertThat(tap.events(TranscoderStarted.class)).extracting(TranscoderStarted::hostId).containsOnly(fitHost);
    assertThat(tap.events(ProvisioningFailed.class)).isEmpty();
    assertThat(tap.drainDeadLetters()).isEmpty();
    assertThat(unfit.worker().takingRequests()).as("the unfit host does not consume berth.requests").isFalse();

    // The operator loads the image: the host takes requests again without a restart.
    TestDocker.client().tagImageCmd(TestDocker.STANDIN_IMAGE, "berth/wcs-standin", "fitness-it").exec();
    await().atMost(Duration.ofSeconds(30)).until(() -> unfit.worker().takingRequests());
  }
}
