package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.events.CloudEvent;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 7 #10: a worker given several broker addresses (the nodes of a RabbitMQ cluster) moves to another when the
 * one it is connected to goes away. Two TCP forwards stand in for two nodes: only the first is up when the worker
 * starts, then the second comes up and the first dies with every connection through it.
 */
class BrokerFailoverIT extends WorkerItSupport {

  @Test
  void theWorkerMovesToTheNextBrokerAddressWhenItsNodeGoesAway() throws Exception {
    int first = freePort();
    int second = freePort();
    try (Forward a = Forward.start(first)) {
      Map<String, String> env = WorkerHarness.env(lan, network, hostId());
      env.put("BERTH_AMQP_URI", "amqp://guest:guest@127.0.0.1:" + first + "/%2F");
      env.put("BERTH_AMQP_ADDRESSES", "127.0.0.1:" + first + ",127.0.0.1:" + second);
      startWorker(env);
      CloudEvent<TranscoderRequested> before = request("failover", "tx-1", "room");
      tap.publish(before);
      assertThat(awaitEventCausedBy(before.id()).data()).isInstanceOf(TranscoderStarted.class);

      try (Forward b = Forward.start(second)) {
        a.close(); // the node dies, and every connection through it
        CloudEvent<TranscoderRequested> after = request("failover", "tx-2", "room");
        tap.publish(after);
        assertThat(await().atMost(Duration.ofSeconds(60)).until(() -> tap.causedBy(after.id()), l -> !l.isEmpty())
            .get(0).data()).isInstanceOf(TranscoderStarted.class);
        assertThat(b.connections()).as("the worker's connections now go through the second address").isPositive();
      }
    }
  }

  /**
   * The CLI reads the worker's own variables: with the nodes of a cluster listed, preflight and publish reach the
   * broker through them, not through the URI's host (which here answers nothing). Before, both used the URI alone.
   */
  @Test
  void theCliReachesTheBrokerThroughTheNodesTheWorkerUses() throws Exception {
    int nowhere = freePort();
    int node = freePort();
    try (Forward b = Forward.start(node)) {
      Map<String, String> env = WorkerHarness.env(lan, network, hostId());
      String uri = env.get("BERTH_AMQP_URI").replaceFirst("@[^/]+/", "@127.0.0.1:" + nowhere + "/");
      env.put("BERTH_AMQP_URI", uri);
      env.put("BERTH_AMQP_ADDRESSES", "127.0.0.1:" + node);

      Cli.Result preflight = Cli.preflight(env);
      assertThat(preflight.line("OK", "broker")).contains("via nodes [127.0.0.1:" + node + "]");

      Cli.Result published = Cli.run(new io.berth.worker.cli.PublishCommand(), "TranscoderRequested",
          "tenantId=cli", "transcoderId=tx-1", "roomId=room", "--amqp-uri", uri, "--amqp-addresses",
          "127.0.0.1:" + node);
      assertThat(published.exitCode()).as("only the node answers: " + published.err()).isZero();
      startWorker(WorkerHarness.env(lan, network, hostId())); // the request reached this test's vhost: it is served
      assertThat(await().atMost(Duration.ofSeconds(60)).until(() -> tap.events(TranscoderStarted.class), l -> !l.isEmpty())
          .get(0).transcoderId()).isEqualTo("tx-1");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** socat forwarding a local port to the test broker: a broker "node" that can be killed with its connections. */
  static final class Forward implements AutoCloseable {
    private final Process process;
    private final int port;

    private Forward(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static Forward start(int port) throws Exception {
      Process p = new ProcessBuilder("socat", "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork",
          "TCP:127.0.0.1:5672").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        try (Socket s = new Socket("127.0.0.1", port)) {
          return true;
        } catch (IOException e) {
          return false;
        }
      });
      return new Forward(p, port);
    }

    /** Connections currently forwarded (one socat child each). */
    long connections() {
      return process.descendants().filter(ProcessHandle::isAlive).count();
    }

    @Override
    public void close() {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive()
          && process.descendants().noneMatch(ProcessHandle::isAlive));
    }
  }
}
