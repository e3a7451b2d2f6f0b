package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.events.CloudEvent;
import io.berth.events.StopReason;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import io.berth.events.TranscoderStopped;
import io.berth.events.WorkerHeartbeat;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * `docker rm -f` by hand: Berth does not recreate what an operator removed on purpose, but says so — one
 * `TranscoderStopped`, reason `removed-externally` — and frees its slot, instead of a crash it never follows up.
 */
class ExternalRemovalIT extends WorkerItSupport {

  @Test
  void aContainerRemovedByHandIsReportedGoneAndItsSlotFreed() throws Exception {
    String host = hostId();
    Map<String, String> env = WorkerHarness.env(lan, network, host);
    env.put("BERTH_RESTART_INITIAL_BACKOFF_MS", "100");
    env.put("BERTH_RESTART_MAX_BACKOFF_MS", "200");
    env.put("BERTH_HEARTBEAT_SECONDS", "1");
    env.put("BERTH_MAX_TRANSCODERS", "3");
    WorkerHarness worker = startWorker(env);
    CloudEvent<TranscoderRequested> request = request("rm", "tx-1", "room");
    tap.publish(request);
    TranscoderStarted started = (TranscoderStarted) awaitEventCausedBy(request.id()).data();

    TestDocker.client().removeContainerCmd(started.containerId()).withForce(true).exec();

    TranscoderStopped stopped = await().atMost(Duration.ofSeconds(30)).until(() -> tap.events(TranscoderStopped.class,
        s -> s.transcoderId().equals("tx-1")), l -> !l.isEmpty()).get(0);
    assertThat(stopped.reason()).isEqualTo(StopReason.REMOVED_EXTERNALLY);
    assertThat(stopped.removed()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> worker.worker().capacity().free() == 3);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> containersOf("rm").isEmpty()
        && tap.events(TranscoderStopped.class, s -> s.transcoderId().equals("tx-1")).size() == 1);
    assertThat(tap.events(WorkerHeartbeat.class)).isNotEmpty();
  }
}
