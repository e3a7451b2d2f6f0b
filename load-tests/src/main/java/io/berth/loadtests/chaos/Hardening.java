package io.berth.loadtests.chaos;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import io.berth.events.CloudEvent;
import io.berth.events.CommandData;
import io.berth.events.Resources;
import io.berth.events.TranscoderRequested;
import io.berth.worker.it.TestDocker;
import io.berth.worker.it.WorkerHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Scenario 9: every container Berth starts is boxed in — memory, CPU and pids limits, {@code no-new-privileges}, a
 * bounded log, not privileged, no added capabilities, no host mounts, no Docker socket, no host network or PID
 * namespace. Checked on containers made with default and with requested resources.
 */
public final class Hardening implements Scenario {

  @Override
  public String name() {
    return "hardening";
  }

  @Override
  public ChaosResult run(Size size) throws Exception {
    try (ChaosLab lab = new ChaosLab("198.51.100")) {
      WorkerHarness worker = lab.startWorker(lab.env("chaos-" + UUID.randomUUID().toString().substring(0, 6)));
      String tenant = "chaos-hard";
      List<CloudEvent<? extends CommandData>> requests = new ArrayList<>();
      Set<String> shouldRun = new HashSet<>();
      for (int i = 0; i < size.of(4); i++) {
        Resources resources = i % 2 == 0 ? null : new Resources(0.5, 128);
        requests.add(CloudEvent.command(UUID.randomUUID().toString(), "urn:berth:chaos", Instant.now(),
            new TranscoderRequested(tenant, "tx-" + i, "room", null, resources)));
        shouldRun.add("tx-" + i);
      }
      requests.forEach(lab.ledger()::publish);
      lab.awaitSettled(requests, Duration.ofMinutes(2));
      List<String> breaches = new ArrayList<>();
      List<Container> containers = TestDocker.containersLabelled("io.berth.network", lab.network());
      for (Container c : containers) {
        InspectContainerResponse inspect = TestDocker.inspect(c.getId());
        HostConfig h = inspect.getHostConfig();
        String name = c.getNames()[0];
        check(breaches, name, "memory limit", h.getMemory() != null && h.getMemory() > 0);
        check(breaches, name, "CPU limit", h.getNanoCPUs() != null && h.getNanoCPUs() >= 10_000_000L);
        check(breaches, name, "pids limit", h.getPidsLimit() != null && h.getPidsLimit() > 0);
        check(breaches, name, "no-new-privileges", h.getSecurityOpts() != null
            && h.getSecurityOpts().contains("no-new-privileges:true"));
        check(breaches, name, "bounded log", h.getLogConfig() != null && h.getLogConfig().getConfig() != null
            && h.getLogConfig().getConfig().containsKey("max-size") && h.getLogConfig().getConfig().containsKey("max-file"));
        check(breaches, name, "not privileged", !Boolean.TRUE.equals(h.getPrivileged()));
        check(breaches, name, "no added capabilities", h.getCapAdd() == null || h.getCapAdd().length == 0);
        check(breaches, name, "no host mounts", (h.getBinds() == null || h.getBinds().length == 0)
            && (inspect.getMounts() == null || inspect.getMounts().isEmpty()));
        check(breaches, name, "no Docker socket", String.valueOf(inspect.getMounts()).indexOf("docker.sock") < 0
            && (h.getBinds() == null || String.join(",", java.util.Arrays.stream(h.getBinds())
                .map(Object::toString).toList()).indexOf("docker.sock") < 0));
        check(breaches, name, "own network namespace", !"host".equals(h.getNetworkMode()));
        check(breaches, name, "own PID namespace", h.getPidMode() == null || h.getPidMode().isEmpty());
        check(breaches, name, "no devices", h.getDevices() == null || h.getDevices().length == 0);
      }
      ChaosLab.Counts counts = lab.count(tenant, requests, List.of(), shouldRun, List.of(worker));
      return counts.result(name(), "none: inspection of what Berth started", containers.size()
              + " containers (default and requested resources)", breaches.size(),
          breaches.isEmpty() ? "12 checks per container, all held" : "breaches: " + breaches,
          ChaosRunner.command(name(), size));
    }
  }

  private static void check(List<String> breaches, String container, String what, boolean held) {
    if (!held) {
      breaches.add(container + ": " + what);
    }
  }
}
