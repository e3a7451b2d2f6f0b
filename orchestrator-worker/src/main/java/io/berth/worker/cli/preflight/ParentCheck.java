package io.berth.worker.cli.preflight;

import io.berth.worker.config.EnvNames;
import io.berth.worker.config.NetworkDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The parent interface exists on this host, is configured up and has a link. */
final class ParentCheck implements Check {

  @Override
  public String name() {
    return "parent";
  }

  @Override
  public List<CheckResult> run(PreflightContext context) {
    PreflightEnv env = context.env();
    if (env.parent().isEmpty()) {
      return List.of(CheckResult.skip(name(), EnvNames.NETWORK_PARENT + " is not set (see config)"));
    }
    String parent = env.parent().get();
    if (!env.dockerIsLocal()) {
      return List.of(CheckResult.skip(name(), "Docker is remote (" + env.dockerHost() + "): " + parent
          + " is that host's interface; run preflight there"));
    }
    Optional<HostNet.Link> link = context.probes().hostNet().link(parent);
    if (link.isEmpty()) {
      return List.of(CheckResult.fail(name(), "no interface named '" + parent + "' on this host (it has: "
              + String.join(", ", context.probes().hostNet().linkNames()) + ")",
          "set " + EnvNames.NETWORK_PARENT + " to the interface on the LAN the transcoders should join (ip -br link"
              + " lists them; the one with the host's LAN address, usually)"));
    }
    HostNet.Link l = link.get();
    List<CheckResult> results = new ArrayList<>();
    if (!l.adminUp()) {
      results.add(CheckResult.fail(name(), "interface " + parent + " is down (configured down)",
          "ip link set " + parent + " up, and bring it up at boot in the host's network configuration"));
    } else {
      switch (l.operState()) {
        case "up" -> results.add(CheckResult.ok(name(), "interface " + parent + " exists and is up"));
        case "unknown" -> results.add(CheckResult.ok(name(), "interface " + parent
            + " exists and is up (its driver reports no link state)"));
        case "dormant" -> results.add(CheckResult.warn(name(), "interface " + parent
            + " is up but dormant (waiting for authentication or similar)", "check what it waits for (ip link show "
            + parent + ")"));
        default -> results.add(CheckResult.fail(name(), "interface " + parent + " is configured up but has no link"
            + " (operstate " + l.operState() + ")", "connect it: the cable, the switch port, or the virtual switch"
            + " or peer it is attached to (ip link show " + parent + ")"));
      }
    }
    if (l.wireless() && env.driver().orElse(null) == NetworkDriver.MACVLAN) {
      results.add(CheckResult.warn(name(), parent + " is a Wi-Fi interface: access points accept one MAC address"
          + " per station, so the extra MAC addresses of macvlan are usually dropped",
          "set " + EnvNames.NETWORK_DRIVER + "=ipvlan (one MAC address for all), or use a wired parent"));
    }
    return results;
  }
}
