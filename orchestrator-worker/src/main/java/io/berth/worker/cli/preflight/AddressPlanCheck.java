package io.berth.worker.cli.preflight;

import io.berth.worker.config.EnvNames;
import io.berth.worker.config.Ipv4;
import io.berth.worker.config.Ipv4Cidr;
import io.berth.worker.config.WorkerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Subnet, gateway and range agree: the gateway is an address of the subnet, the range lies inside the subnet (it may
 * hold the gateway, which is never handed out), and it holds enough addresses. What no tool can see from here is the LAN's DHCP pool, so the
 * OK line says to keep the range out of it.
 */
final class AddressPlanCheck implements Check {

  @Override
  public String name() {
    return "range";
  }

  @Override
  public List<CheckResult> run(PreflightContext context) {
    PreflightEnv env = context.env();
    if (env.subnet().isEmpty() || env.gateway().isEmpty() || env.ipRange().isEmpty()) {
      return List.of(CheckResult.skip(name(), "needs " + EnvNames.NETWORK_SUBNET + ", " + EnvNames.NETWORK_GATEWAY
          + " and " + EnvNames.NETWORK_IP_RANGE + " (see config)"));
    }
    Optional<Integer> capacity = env.fleet() ? Optional.empty()
        : context.config().map(WorkerConfig::maxTranscoders);
    return judge(env.subnet().get(), env.gateway().get(), env.ipRange().get(), capacity);
  }

  /**
   * @param capacity this host's {@code BERTH_MAX_TRANSCODERS} when the range is its alone (single host); in a fleet
   *     the hosts share the range
   */
  List<CheckResult> judge(Ipv4Cidr subnet, int gateway, Ipv4Cidr range, Optional<Integer> capacity) {
    List<CheckResult> results = new ArrayList<>();
    String g = Ipv4.format(gateway);
    if (!subnet.contains(gateway)) {
      results.add(CheckResult.fail(name(), "gateway " + g + " is outside the subnet " + subnet,
          "set " + EnvNames.NETWORK_GATEWAY + " to the LAN router's address inside " + subnet
              + " (ip route show default), or correct " + EnvNames.NETWORK_SUBNET));
    } else if (gateway == subnet.first() || gateway == subnet.last()) {
      results.add(CheckResult.fail(name(), "gateway " + g + " is the " + (gateway == subnet.first() ? "network"
          : "broadcast") + " address of " + subnet + ", not a host's", "set " + EnvNames.NETWORK_GATEWAY
          + " to the LAN router's address (ip route show default)"));
    }
    if (!subnet.contains(range)) {
      results.add(CheckResult.fail(name(), "range " + range + " is not inside the subnet " + subnet,
          "set " + EnvNames.NETWORK_IP_RANGE + " to a block inside " + subnet + suggestion(subnet, gateway)));
    }
    if (!results.isEmpty()) {
      return results;
    }
    long usable = usable(subnet, range, gateway);
    if (usable == 0) {
      return List.of(CheckResult.fail(name(), "range " + range + " holds no usable address (only the subnet's"
          + " network or broadcast address)", "set " + EnvNames.NETWORK_IP_RANGE + " to a larger block"
          + suggestion(subnet, gateway)));
    }
    String ok = "gateway " + g + " and range " + range + " (" + usable + " addresses"
        + (range.contains(gateway) ? "; the gateway " + g + " is never handed out" : "") + ") inside subnet " + subnet
        + "; keep " + range + " out of the LAN's DHCP pool and static assignments";
    if (capacity.isPresent() && usable < capacity.get()) {
      return List.of(CheckResult.warn(name(), ok + ", but " + EnvNames.MAX_TRANSCODERS + " is " + capacity.get()
          + ": requests beyond " + usable + " wait in the queue for an address to free", "a larger "
          + EnvNames.NETWORK_IP_RANGE + ", or " + EnvNames.MAX_TRANSCODERS + "=" + usable));
    }
    return List.of(CheckResult.ok(name(), ok));
  }

  /** Addresses Berth may hand out: the range without the subnet's network and broadcast addresses and the gateway. */
  static long usable(Ipv4Cidr subnet, Ipv4Cidr range, int gateway) {
    long n = range.size();
    if (range.contains(gateway) && gateway != subnet.first() && gateway != subnet.last()) {
      n--;
    }
    if (range.contains(subnet.first())) {
      n--;
    }
    if (range.contains(subnet.last()) && subnet.last() != subnet.first()) {
      n--;
    }
    return Math.max(0, n);
  }

  /** A quarter of the subnet that leaves the gateway out, from the top (routers sit at the bottom, usually). */
  static String suggestion(Ipv4Cidr subnet, int gateway) {
    if (subnet.prefixLength() > 28) {
      return "";
    }
    int prefix = subnet.prefixLength() + 2;
    long step = 1L << (32 - prefix);
    for (int quarter = 3; quarter >= 1; quarter--) {
      Ipv4Cidr candidate = new Ipv4Cidr((int) (Integer.toUnsignedLong(subnet.first()) + quarter * step), prefix);
      if (!candidate.contains(gateway)) {
        return ", e.g. " + candidate;
      }
    }
    return "";
  }
}
