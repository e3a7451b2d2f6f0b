package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.berth.events.CloudEvent;
import io.berth.events.Contract;
import io.berth.events.ProvisioningFailed;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Docker goes away under a running worker: it stops taking commands, dead-letters and acks nothing early, and
 * resumes by itself once Docker is back, finishing what it held.
 */
class DockerOutageIT extends WorkerItSupport {

  @Test
  void workerPausesWhileDockerIsDownAndResumesByItself() throws Exception {
    try (DockerSocketProxy proxy = new DockerSocketProxy(Path.of("/var/run/docker.sock"));
         Connection connection = TestBroker.connect("berth-test-outage");
         Channel channel = connection.createChannel()) {
      Map<String, String> env = WorkerHarness.env(lan, network, hostId());
      env.put("DOCKER_HOST", proxy.dockerHost());
      env.put("BERTH_DOCKER_RETRY_MAX_MS", "400");
      WorkerHarness worker = startWorker(env);
      CloudEvent<TranscoderRequested> before = request("out", "tx-0", "room");
      tap.publish(before);
      assertThat(awaitEventCausedBy(before.id()).data()).isInstanceOf(TranscoderStarted.class);

      proxy.down();
      CloudEvent<TranscoderRequested> held = request("out", "tx-1", "room");
      tap.publish(held);
      // The worker notices and stops consuming; a request published now stays in the queue for other hosts.
      await().atMost(Duration.ofSeconds(60)).until(() -> !worker.worker().consuming());
      CloudEvent<TranscoderRequested> queued = request("out", "tx-2", "room");
      tap.publish(queued);
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
          .until(() -> channel.queueDeclarePassive(Contract.REQUESTS_QUEUE).getMessageCount() == 1);
      assertThat(tap.events(ProvisioningFailed.class)).as("nothing failed for a transient outage").isEmpty();
      assertThat(tap.drainDeadLetters()).as("nothing dead-lettered").isEmpty();
      assertThat(tap.causedBy(held.id())).as("nothing acked early").isEmpty();

      proxy.up();
      await().atMost(Duration.ofSeconds(90)).until(() -> !tap.causedBy(held.id()).isEmpty()
          && !tap.causedBy(queued.id()).isEmpty());
      assertThat(tap.causedBy(held.id()).get(0).data()).isInstanceOf(TranscoderStarted.class);
      assertThat(tap.causedBy(queued.id()).get(0).data()).isInstanceOf(TranscoderStarted.class);
      assertThat(worker.worker().consuming()).isTrue();
      assertThat(containersOf("out")).hasSize(3);
    }
  }

}
