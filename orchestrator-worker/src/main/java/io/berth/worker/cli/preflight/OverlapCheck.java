package io.berth.worker.cli.preflight;

import io.berth.worker.cli.Words;
import io.berth.worker.config.EnvNames;
import io.berth.worker.config.Ipv4;
import io.berth.worker.config.Ipv4Cidr;
import io.berth.worker.docker.DockerInventory;
import io.berth.worker.docker.DockerNetwork;
import java.util.ArrayList;
import java.util.List;

/**
 * Berth's addresses are nobody else's: the range overlaps no other Docker network's subnet (Docker refuses a network
 * whose subnet overlaps another's on its default address space, and two networks handing out one address break
 * both), and holds none of this host's own addresses.
 */
final class OverlapCheck implements Check {

  @Override
  public String name() {
    return "overlap";
  }

  @Override
  public List<CheckResult> run(PreflightContext context) {
    PreflightEnv env = context.env();
    if (env.subnet().isEmpty() || env.ipRange().isEmpty()) {
      return List.of(CheckResult.skip(name(), "needs " + EnvNames.NETWORK_SUBNET + " and "
          + EnvNames.NETWORK_IP_RANGE + " (see config)"));
    }
    Attempt<DockerInventory> docker = context.docker();
    if (!docker.ok()) {
      return List.of(CheckResult.skip(name(), "needs Docker (see docker)"));
    }
    List<HostNet.Address> own = env.dockerIsLocal() ? context.probes().hostNet().ipv4Addresses() : null;
    return judge(env.networkName(), env.subnet().get(), env.ipRange().get(), docker.value().networks(), own,
        env.hostShim());
  }

  List<CheckResult> judge(String ownNetwork, Ipv4Cidr subnet, Ipv4Cidr range, List<DockerNetwork> networks,
      List<HostNet.Address> hostAddresses) {
    return judge(ownNetwork, subnet, range, networks, hostAddresses, java.util.Optional.empty());
  }

  /** @param hostAddresses this host's addresses; null when Docker is remote (they are another host's then) */
  /** @param hostShim the host shim's address: the worker's own on the LAN, never handed out, so no overlap */
  List<CheckResult> judge(String ownNetwork, Ipv4Cidr subnet, Ipv4Cidr range, List<DockerNetwork> networks,
      List<HostNet.Address> hostAddresses, java.util.Optional<Integer> hostShim) {
    List<CheckResult> results = new ArrayList<>();
    int others = 0;
    for (DockerNetwork network : networks) {
      if (network.name().equals(ownNetwork)) {
        continue; // ours: the network check compares it
      }
      for (DockerNetwork.Pool pool : network.pools()) {
        Ipv4Cidr theirs = ipv4(pool.subnet());
        if (theirs == null) {
          continue;
        }
        others++;
        if (overlaps(range, theirs)) {
          results.add(CheckResult.fail(name(), "range " + range + " overlaps Docker network '" + network.name()
              + "' (" + network.driver() + ", subnet " + theirs + "): both would hand out the same addresses",
              "choose " + EnvNames.NETWORK_SUBNET + "/" + EnvNames.NETWORK_IP_RANGE + " clear of " + theirs
                  + ", or docker network rm " + network.name() + " if nothing uses it"));
        } else if (overlaps(subnet, theirs)) {
          results.add(CheckResult.fail(name(), "subnet " + subnet + " overlaps Docker network '" + network.name()
              + "' (" + network.driver() + ", subnet " + theirs + "): Docker refuses to create a network whose"
              + " subnet overlaps another's (\"Pool overlaps with other one on this address space\")",
              "choose " + EnvNames.NETWORK_SUBNET + " clear of " + theirs + ", or docker network rm "
                  + network.name() + " if nothing uses it"));
        }
      }
    }
    if (hostAddresses != null) {
      for (HostNet.Address address : hostAddresses) {
        if (range.contains(address.address()) && !hostShim.equals(java.util.Optional.of(address.address()))) {
          results.add(CheckResult.fail(name(), "this host's address " + Ipv4.format(address.address()) + " (on "
              + address.interfaceName() + ") is inside the range " + range + ": Berth could hand it to a transcoder",
              "choose " + EnvNames.NETWORK_IP_RANGE + " without this host's addresses (ip -br addr), or move the"
                  + " host's address out of it"));
        }
      }
    }
    if (results.isEmpty()) {
      results.add(CheckResult.ok(name(), "range " + range + " overlaps no other Docker network ("
          + Words.count(others, "address pool") + " compared)" + (hostAddresses == null
          ? "; this host's own addresses not compared: Docker is remote"
          : " and holds none of this host's " + Words.count(hostAddresses.size(), "address"))));
    }
    return results;
  }

  static boolean overlaps(Ipv4Cidr a, Ipv4Cidr b) {
    return a.contains(b.first()) || b.contains(a.first());
  }

  /** An IPv4 block as Docker reports it; null for IPv6 or anything unreadable. */
  static Ipv4Cidr ipv4(String cidr) {
    if (cidr == null || cidr.contains(":")) {
      return null;
    }
    try {
      return Ipv4Cidr.parse(cidr);
    } catch (IllegalArgumentException e) {
      // Docker accepts a subnet with host bits set ("10.1.2.3/16"): read it as its block
      try {
        int slash = cidr.indexOf('/');
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        return new Ipv4Cidr(Ipv4.parse(cidr.substring(0, slash)) & mask, prefix);
      } catch (RuntimeException unreadable) {
        return null;
      }
    }
  }
}
