package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.berth.events.CloudEvent;
import io.berth.events.Contract;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged worker as operators run it: SIGTERM mid-provision loses nothing and leaves nothing; bad config fails fast. */
class WorkerProcessIT extends WorkerItSupport {

  @Test
  void sigtermGivesInFlightWorkBackAndLeavesNothingBehind() throws Exception {
    Map<String, String> env = WorkerHarness.env(lan, network, hostId());
    env.put("BERTH_READINESS_PORT", "9"); // nothing listens there: provisioning stays in flight
    try (WorkerProcess process = WorkerProcess.start(env);
         Connection connection = TestBroker.connect("berth-test-process");
         Channel channel = connection.createChannel()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> process.output().contains("worker started"));
      CloudEvent<TranscoderRequested> request = request("sig", "tx-1", "room");
      tap.publish(request);
      await().atMost(Duration.ofSeconds(60)).until(() -> containersOf("sig").size() == 1);

      process.terminate();
      await().atMost(Duration.ofSeconds(60)).until(() -> !process.process().isAlive());
      assertThat(process.output()).contains("worker stopping").contains("worker stopped");
      assertThat(containersOf("sig")).as("the half-made container is removed").isEmpty();
      assertThat(tap.causedBy(request.id())).as("no event: nothing happened").isEmpty();
      assertThat(tap.drainDeadLetters()).isEmpty();
      await().atMost(Duration.ofSeconds(10))
          .until(() -> channel.queueDeclarePassive(Contract.REQUESTS_QUEUE).getMessageCount() == 1);
    }

    // Nothing lost: the next worker provisions the request that was given back.
    startWorker(hostId());
    await().atMost(Duration.ofSeconds(60)).until(() -> !tap.events(TranscoderStarted.class).isEmpty());
    assertThat(tap.events(TranscoderStarted.class)).extracting(TranscoderStarted::transcoderId).containsExactly("tx-1");
    assertThat(containersOf("sig")).hasSize(1);
  }

  @Test
  void badConfigurationStopsTheWorkerWithOneLineNamingTheVariable() throws Exception {
    Map<String, String> env = WorkerHarness.env(lan, network, hostId());
    env.put("BERTH_NETWORK_IP_RANGE", "203.0.113.0/28"); // outside the LAN's subnet
    try (WorkerProcess process = WorkerProcess.start(env)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> !process.process().isAlive());
      assertThat(process.process().exitValue()).isEqualTo(2);
      assertThat(process.output().strip())
          .isEqualTo("berth: configuration error: BERTH_NETWORK_IP_RANGE: 203.0.113.0/28 is outside the subnet "
              + lan.subnet());
    }
  }

}
