package io.berth.loadtests.chaos;

import io.berth.events.CloudEvent;
import io.berth.events.CommandData;
import io.berth.events.ContainerCrashed;
import io.berth.events.ProvisioningFailed;
import io.berth.events.TranscoderRestarted;
import io.berth.events.TranscoderStarted;
import io.berth.worker.it.WorkerHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Scenario 5: RabbitMQ is down while transcoders crash. The restarts happen anyway; each crash is reported once the
 * broker is back, and the outage does not turn one crash into {@code crash-loop}.
 */
public final class CrashDuringBrokerOutage implements Scenario {

  @Override
  public String name() {
    return "crash-during-broker-outage";
  }

  @Override
  public ChaosResult run(Size size) throws Exception {
    int n = size.of(3);
    String tenant = "chaos-crash";
    try (ChaosLab lab = new ChaosLab("198.51.100")) {
      Map<String, String> env = lab.env("chaos-" + UUID.randomUUID().toString().substring(0, 6));
      env.put("BERTH_RESTART_MAX", "2");
      env.put("BERTH_RESTART_INITIAL_BACKOFF_MS", "200");
      env.put("BERTH_RESTART_MAX_BACKOFF_MS", "400");
      env.put("BERTH_RECONCILE_SECONDS", "1");
      WorkerHarness worker = lab.startWorker(env);
      List<CloudEvent<? extends CommandData>> requests = new ArrayList<>();
      Set<String> shouldRun = new HashSet<>();
      for (int i = 0; i < n; i++) {
        requests.add(ChaosLab.request(tenant, "tx-" + i));
        shouldRun.add("tx-" + i);
      }
      requests.forEach(lab.ledger()::publish);
      lab.awaitSettled(requests, Duration.ofMinutes(2));
      List<String> addresses = lab.ledger().events(TranscoderStarted.class, s -> tenant.equals(s.tenantId())).stream()
          .map(TranscoderStarted::ipAddress).toList();

      Broker.stop();
      long restartedWhileDown;
      try {
        addresses.forEach(ip -> lab.lan().httpGet(ip, 8081, "/rest-api/crash"));
        // Restarted on their addresses while nothing can be published (give the exit a moment to be seen first).
        Ledger.sleepQuietly(Duration.ofSeconds(2));
        ChaosLab.waitFor(Duration.ofSeconds(60),
            () -> addresses.stream().allMatch(ip -> lab.lan().httpGet(ip, 8081, "/rest-api/").isPresent()));
        restartedWhileDown = addresses.stream().filter(ip -> lab.lan().httpGet(ip, 8081, "/rest-api/").isPresent())
            .count();
        Ledger.sleepQuietly(Duration.ofSeconds(5)); // several reconcile passes while the broker stays away
      } finally {
        Broker.start();
      }
      ChaosLab.waitFor(Duration.ofMinutes(2), () -> lab.ledger().events(TranscoderRestarted.class,
          r -> tenant.equals(r.tenantId())).size() >= n);
      long crashed = lab.ledger().events(ContainerCrashed.class, c -> tenant.equals(c.tenantId()) && c.willRestart())
          .size();
      long restarted = lab.ledger().events(TranscoderRestarted.class, r -> tenant.equals(r.tenantId())).size();
      long crashLoops = lab.ledger().events(ProvisioningFailed.class,
          f -> tenant.equals(f.tenantId()) && "crash-loop".equals(f.code())).size();
      ChaosLab.Counts counts = lab.count(tenant, requests, List.of(), shouldRun, List.of(worker));
      long violations = Math.abs(crashed - n) + Math.abs(restarted - n) + crashLoops + (n - restartedWhileDown);
      return counts.result(name(), "`rabbitmqctl stop_app` while " + n + " transcoders crash; `start_app` after ~10 s",
          n + " running transcoders, each crashed once", violations,
          "restarted while the broker was down " + restartedWhileDown + "/" + n + "; reported afterwards: crashed "
              + crashed + ", restarted " + restarted + ", false crash-loops " + crashLoops,
          ChaosRunner.command(name(), size));
    }
  }
}
