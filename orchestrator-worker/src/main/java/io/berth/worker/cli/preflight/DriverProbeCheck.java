package io.berth.worker.cli.preflight;

import io.berth.worker.config.EnvNames;
import io.berth.worker.config.NetworkDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The kernel really creates the driver's links on the parent: probed with a throwaway link ({@code ip link add link
 * <parent> name <unique> type <driver> mode <mode>}, then deleted), not guessed from a module list — a module can be
 * built in, missing, or present but refused by the parent's driver, and only the kernel knows. The link is never set
 * up and has no address, so the LAN never sees it.
 */
final class DriverProbeCheck implements Check {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Override
  public String name() {
    return "kernel";
  }

  @Override
  public List<CheckResult> run(PreflightContext context) {
    PreflightEnv env = context.env();
    if (env.parent().isEmpty() || env.driver().isEmpty() || env.mode().isEmpty()) {
      return List.of(CheckResult.skip(name(), "needs " + EnvNames.NETWORK_PARENT + " and " + EnvNames.NETWORK_DRIVER
          + " (see config)"));
    }
    if (!env.dockerIsLocal()) {
      return List.of(CheckResult.skip(name(), "Docker is remote (" + env.dockerHost() + "): probe on that host"));
    }
    String parent = env.parent().get();
    if (context.probes().hostNet().link(parent).isEmpty()) {
      return List.of(CheckResult.skip(name(), "needs the parent interface " + parent + " (see parent)"));
    }
    String driver = env.driver().get().dockerName();
    String mode = env.mode().get();
    String probe = probeName();
    List<String> add = List.of("ip", "link", "add", "link", parent, "name", probe, "type", driver, "mode", mode);
    String byHand = "ip link add link " + parent + " name berthtest0 type " + driver + " mode " + mode
        + " && ip link del berthtest0";
    CommandRunner.Result added = context.probes().commands().run(add, TIMEOUT);
    if (added.exitCode() == CommandRunner.NOT_RUN) {
      return List.of(CheckResult.warn(name(), "cannot probe: " + added.output(),
          "install iproute2 (the ip command), or check by hand as root: " + byHand));
    }
    if (added.ok()) {
      List<CheckResult> results = new ArrayList<>();
      results.add(CheckResult.ok(name(), "the kernel creates " + driver + " links (mode " + mode + ") on " + parent
          + ": probed with a throwaway link"));
      CommandRunner.Result deleted = context.probes().commands().run(List.of("ip", "link", "del", probe), TIMEOUT);
      if (!deleted.ok()) {
        results.add(CheckResult.warn(name(), "the probe link " + probe + " could not be removed: "
            + deleted.output(), "ip link del " + probe));
      }
      return results;
    }
    return List.of(refusal(added.output(), env.driver().get(), mode, parent, byHand));
  }

  /** The kernel's answer, in words, with the fix. */
  CheckResult refusal(String output, NetworkDriver driver, String mode, String parent, String byHand) {
    String said = output.replaceAll("\\s+", " ").trim();
    String text = said.toLowerCase(Locale.ROOT);
    String module = driver.dockerName();
    String other = driver == NetworkDriver.IPVLAN ? "macvlan" : "ipvlan";
    if (text.contains("operation not permitted")) {
      return CheckResult.warn(name(), "cannot probe without CAP_NET_ADMIN (" + said + ")",
          "run preflight as root (sudo), or check by hand as root: " + byHand);
    }
    if (text.contains("unknown device type")) {
      return CheckResult.fail(name(), "the kernel has no " + module + " support: it answers '" + said
          + "' (module " + module + " missing)", "sudo modprobe " + module + ", and list it in /etc/modules-load.d/"
          + " to load it at boot; if modprobe finds no module, install the distribution's extra kernel modules (e.g."
          + " Ubuntu: linux-modules-extra-$(uname -r)) or use a kernel with CONFIG_" + module.toUpperCase(Locale.ROOT)
          + "; or set " + EnvNames.NETWORK_DRIVER + "=" + other);
    }
    if (text.contains("operation not supported")) {
      return CheckResult.fail(name(), "the kernel refuses " + module + " (mode " + mode + ") on " + parent + ": '"
          + said + "'", "sudo modprobe " + module + "; if it is loaded, the parent's driver refuses it (Wi-Fi and"
          + " some virtual NICs do): use another parent, or " + EnvNames.NETWORK_DRIVER + "=" + other);
    }
    if (text.contains("device or resource busy")) {
      return CheckResult.fail(name(), parent + " refuses another " + module + " link: '" + said + "'",
          "a parent carries macvlan or ipvlan links, not both, and macvlan passthru only one: remove the others"
              + " (ip -d link show) or use another parent");
    }
    return CheckResult.fail(name(), "creating a " + module + " link (mode " + mode + ") on " + parent
        + " failed: '" + said + "'", "check " + EnvNames.NETWORK_PARENT + " and the mode ("
        + (driver == NetworkDriver.IPVLAN ? EnvNames.IPVLAN_MODE : EnvNames.MACVLAN_MODE) + "); by hand as root: "
        + byHand);
  }

  /** Interface names are at most 15 characters; a random suffix keeps concurrent runs apart. */
  static String probeName() {
    return "bprobe" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
  }
}
