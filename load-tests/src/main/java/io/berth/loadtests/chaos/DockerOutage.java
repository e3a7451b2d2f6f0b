package io.berth.loadtests.chaos;

import io.berth.events.CloudEvent;
import io.berth.events.CommandData;
import io.berth.worker.it.DockerSocketProxy;
import io.berth.worker.it.WorkerHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Scenario 4: Docker goes away (its socket stops answering, as when dockerd is stopped) for longer than the broker's
 * {@code consumer_timeout}, shortened here to 15 s, while requests keep arriving. Nothing may be dead-lettered or
 * answered during the outage; the backlog drains once Docker is back.
 */
public final class DockerOutage implements Scenario {
  private static final Duration CONSUMER_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration OUTAGE = Duration.ofSeconds(25);

  @Override
  public String name() {
    return "docker-outage";
  }

  @Override
  public ChaosResult run(Size size) throws Exception {
    int n = Math.min(size.of(12), 50); // within the lab range (62) and BERTH_MAX_TRANSCODERS
    String tenant = "chaos-docker";
    Broker.consumerTimeout(CONSUMER_TIMEOUT.toMillis());
    try (ChaosLab lab = new ChaosLab("198.51.100");
         DockerSocketProxy proxy = new DockerSocketProxy(Path.of("/var/run/docker.sock"))) {
      Map<String, String> env = lab.env("chaos-" + UUID.randomUUID().toString().substring(0, 6));
      env.put("DOCKER_HOST", proxy.dockerHost());
      WorkerHarness worker = lab.startWorker(env);
      List<CloudEvent<? extends CommandData>> requests = new ArrayList<>();
      Set<String> shouldRun = new HashSet<>();
      for (int i = 0; i < n; i++) {
        requests.add(ChaosLab.request(tenant, "tx-" + i));
        shouldRun.add("tx-" + i);
      }
      requests.subList(0, n / 2).forEach(lab.ledger()::publish);
      ChaosLab.waitFor(Duration.ofSeconds(60), () -> answered(lab, requests) >= 1);
      proxy.down();
      int deadAtCut = lab.ledger().deadLetters().size();
      List<CloudEvent<? extends CommandData>> duringOutage = requests.subList(n / 2, n);
      duringOutage.forEach(lab.ledger()::publish);
      Ledger.sleepQuietly(OUTAGE); // the fault itself: Docker stays away this long
      // Only requests that arrived after the cut: one whose Docker work finished just before it may still be
      // answered a moment after, which is no early ack.
      long answeredDuring = answered(lab, duringOutage);
      int deadDuring = lab.ledger().deadLetters().size() - deadAtCut;
      long back = System.nanoTime();
      proxy.up();
      lab.awaitSettled(requests, Duration.ofMinutes(3));
      long drainedMs = (System.nanoTime() - back) / 1_000_000;
      ChaosLab.Counts counts = lab.count(tenant, requests, List.of(), shouldRun, List.of(worker));
      int dead = lab.ledger().deadLetters().size();
      return counts.result(name(), "Docker socket cut for " + OUTAGE.toSeconds() + " s, `consumer_timeout` "
              + CONSUMER_TIMEOUT.toSeconds() + " s", n + " requests, half of them during the outage",
          answeredDuring + deadDuring + dead,
          "answered during the outage " + answeredDuring + ", dead-lettered " + dead + "; backlog drained "
              + drainedMs + " ms after Docker was back", ChaosRunner.command(name(), size));
    } finally {
      Broker.consumerTimeout(Duration.ofMinutes(30).toMillis());
    }
  }

  private static long answered(ChaosLab lab, List<CloudEvent<? extends CommandData>> commands) {
    return commands.stream().filter(c -> lab.ledger().causedBy(c.id()).stream()
        .anyMatch(e -> Ledger.isTerminal(e.data()))).count();
  }
}
