package io.berth.loadtests.chaos;

import io.berth.events.CloudEvent;
import io.berth.events.CommandData;
import io.berth.worker.it.WorkerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Scenario 3: the packaged worker is SIGKILLed several times during a burst of requests, and once more during a burst
 * of releases, and started again each time with the same configuration (as systemd or Docker would restart it).
 */
public final class WorkerKills implements Scenario {
  private static final int KILLS = 3;

  @Override
  public String name() {
    return "worker-kills";
  }

  @Override
  public ChaosResult run(Size size) throws Exception {
    int n = Math.min(size.of(20), 50); // all at once: within the lab range (62) and BERTH_MAX_TRANSCODERS
    String tenant = "chaos-kill";
    try (ChaosLab lab = new ChaosLab("198.51.100")) {
      String host = "chaos-" + UUID.randomUUID().toString().substring(0, 6);
      Map<String, String> env = lab.env(host);
      env.put("BERTH_HEARTBEAT_SECONDS", "1");
      Path jar = WorkerProcess.defaultJar();
      WorkerProcess process = started(env, jar);
      List<CloudEvent<? extends CommandData>> requests = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        requests.add(ChaosLab.request(tenant, "tx-" + i));
      }
      requests.forEach(lab.ledger()::publish);
      int kills = 0;
      for (int k = 1; k <= KILLS; k++) {
        int target = k * n / (KILLS + 1);
        ChaosLab.waitFor(Duration.ofSeconds(60), () -> answered(lab, requests) >= target);
        process = restart(process, env, jar);
        kills++;
      }
      lab.awaitSettled(requests, Duration.ofMinutes(3));

      List<CloudEvent<? extends CommandData>> releases = new ArrayList<>();
      Set<String> shouldRun = new HashSet<>();
      for (int i = 0; i < n; i++) {
        if (i % 2 == 0) {
          releases.add(ChaosLab.release(tenant, "tx-" + i));
        } else {
          shouldRun.add("tx-" + i);
        }
      }
      releases.forEach(lab.ledger()::publish);
      ChaosLab.waitFor(Duration.ofSeconds(60), () -> answered(lab, releases) >= releases.size() / 2);
      process = restart(process, env, jar);
      kills++;
      lab.awaitSettled(releases, Duration.ofMinutes(3));
      ChaosLab.Counts counts = lab.count(tenant, requests, releases, shouldRun, List.of());
      long leak = lab.heartbeatLeak(host);
      Evidence.addLog("worker-kills", output(process));
      process.close();
      return new ChaosResult(name(), "SIGKILL of the worker process, restarted at once, " + kills + " times",
          n + " requests at once, then " + releases.size() + " releases at once", counts.commands(), counts.lost(),
          counts.missingTerminal(), counts.duplicateTerminal(), counts.duplicateContainers(), counts.orphans(),
          leak, 0, lab.ledger().duplicatesDelivered() + " events delivered twice (same id)",
          ChaosRunner.command(name(), size));
    }
  }

  private static long answered(ChaosLab lab, List<CloudEvent<? extends CommandData>> commands) {
    return commands.stream().filter(c -> lab.ledger().causedBy(c.id()).stream()
        .anyMatch(e -> Ledger.isTerminal(e.data()))).count();
  }

  private static WorkerProcess started(Map<String, String> env, Path jar) throws Exception {
    WorkerProcess p = WorkerProcess.start(env, jar);
    if (!ChaosLab.waitFor(Duration.ofSeconds(60), () -> output(p).contains("worker started"))) {
      throw new IllegalStateException("worker did not start: " + output(p));
    }
    return p;
  }

  private static WorkerProcess restart(WorkerProcess p, Map<String, String> env, Path jar) throws Exception {
    p.process().destroyForcibly(); // SIGKILL: no shutdown hook, nothing handed back
    p.process().waitFor();
    Evidence.addLog("worker-kills", output(p));
    p.close();
    return started(env, jar);
  }

  private static String output(WorkerProcess p) {
    try {
      return p.output();
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
