package io.berth.loadtests.chaos;

import io.berth.events.CloudEvent;
import io.berth.events.CommandData;
import io.berth.worker.it.TestEtcd;
import io.berth.worker.it.TestRabbitCluster;
import io.berth.worker.it.WorkerHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 2: a 3-node RabbitMQ cluster on this machine (scripts/rabbit-cluster.sh; quorum queues replicated on all
 * three), two workers — a fleet with etcd — given every node in {@code BERTH_AMQP_ADDRESSES}. A node is SIGKILLed in the middle of a stream
 * of requests and releases and brought back; another one in the middle of a burst of releases. The workers (and the
 * ledger) follow the cluster to the surviving nodes.
 */
public final class ClusterNodeLoss implements Scenario {
  private static final int WINDOW = 15;

  @Override
  public String name() {
    return "cluster-node-loss";
  }

  @Override
  public ChaosResult run(Size size) throws Exception {
    int requests = size.of(40);
    String tenant = "chaos-cluster";
    // Two workers on one broker are a fleet: they share desired state and answers through etcd (without it, two
    // hosts' answers to one redelivered command could differ, which is why Berth calls that set-up unsafe).
    try (TestRabbitCluster cluster = TestRabbitCluster.up(); TestEtcd etcd = new TestEtcd();
         // 203.0.113: a network this scenario might leave behind (Docker 20.10 has been seen to keep a stale endpoint
         // count after fleet workers stop) cannot clash with the next lab's or an IT's 198.51.100 network.
         ChaosLab lab = new ChaosLab("203.0.113", cluster.amqpUri(), cluster.addressList())) {
      String prefix = "/berth-chaos-" + UUID.randomUUID().toString().substring(0, 6);
      List<WorkerHarness> workers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        Map<String, String> env = lab.env("chaos-" + UUID.randomUUID().toString().substring(0, 6));
        env.put("BERTH_ETCD_ENDPOINTS", etcd.endpoint());
        env.put("BERTH_ETCD_PREFIX", prefix);
        env.put("BERTH_AMQP_URI", cluster.amqpUri());
        env.put("BERTH_AMQP_ADDRESSES", cluster.addresses());
        env.put("BERTH_MAX_TRANSCODERS", "30");
        workers.add(lab.startWorker(env));
      }
      List<CloudEvent<? extends CommandData>> commands = new CopyOnWriteArrayList<>();
      List<CloudEvent<? extends CommandData>> releasesSent = new CopyOnWriteArrayList<>();
      AtomicInteger published = new AtomicInteger();
      CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
        for (int i = 0; i < requests; i++) {
          CloudEvent<? extends CommandData> r = ChaosLab.request(tenant, "tx-" + i);
          commands.add(r);
          lab.ledger().publish(r);
          if (i >= WINDOW) {
            CloudEvent<? extends CommandData> rel = ChaosLab.release(tenant, "tx-" + (i - WINDOW));
            releasesSent.add(rel);
            lab.ledger().publish(rel);
          }
          published.incrementAndGet();
          Ledger.sleepQuietly(Duration.ofMillis(50));
        }
      });
      ChaosLab.waitFor(Duration.ofMinutes(2), () -> published.get() >= requests / 3);
      long t0 = System.nanoTime();
      cluster.kill(1); // where the queues were declared: their first leader, and some of the connections
      int before = terminal(lab);
      ChaosLab.waitFor(Duration.ofMinutes(2), () -> terminal(lab) > before);
      long firstAfterKill = (System.nanoTime() - t0) / 1_000_000;
      cluster.start(1);
      stream.join();
      lab.awaitSettled(commands, Duration.ofMinutes(5));
      ChaosLab.waitFor(Duration.ofMinutes(2), () -> lab.containersOf(tenant).size() <= WINDOW);

      List<CloudEvent<? extends CommandData>> burst = new ArrayList<>();
      for (int i = requests - WINDOW; i < requests; i++) {
        burst.add(ChaosLab.release(tenant, "tx-" + i));
      }
      CompletableFuture<Void> releases = CompletableFuture.runAsync(() -> burst.forEach(lab.ledger()::publish));
      ChaosLab.waitFor(Duration.ofMinutes(1), () -> burst.stream()
          .filter(c -> !lab.ledger().causedBy(c.id()).isEmpty()).count() >= 3);
      cluster.kill(2);
      releases.join();
      releasesSent.addAll(burst);
      lab.awaitSettled(commands, Duration.ofMinutes(5));
      ChaosLab.waitFor(Duration.ofMinutes(2), () -> lab.containersOf(tenant).isEmpty());
      cluster.start(2);
      ChaosLab.Counts counts = lab.count(tenant, commands, releasesSent, Set.of(), workers);
      return counts.result(name(), "SIGKILL of node 1 mid-stream (restarted), of node 2 mid-release-burst",
          requests + " requests and " + requests + " releases at 20/s, then a burst of " + WINDOW
              + " releases; 2 workers (a fleet, etcd) on 3 nodes", 0,
          "first event " + firstAfterKill + " ms after the kill; " + lab.ledger().duplicatesDelivered()
              + " events delivered twice (same id)", ChaosRunner.command(name(), size));
    }
  }

  private static int terminal(ChaosLab lab) {
    return (int) lab.ledger().events().stream().filter(e -> Ledger.isTerminal(e.data())).count();
  }
}
