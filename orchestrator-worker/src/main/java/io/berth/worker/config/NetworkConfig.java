package io.berth.worker.config;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The IPvlan/Macvlan network every transcoder of this host joins. The range is where Berth hands out static
 * addresses; it must sit inside the subnet. It may hold the gateway (the LAN router's) and the host shim: neither is
 * ever handed out, so a whole /24 can serve one host.
 *
 * @param hostShim this host's own address on the network, outside the range: when set, the worker gives the host a
 *     macvlan/ipvlan interface of its own on the parent (a parent's host cannot otherwise reach its children), so
 *     readiness is asked over HTTP instead of by an exec in every new container
 */
public record NetworkConfig(
    String name,
    NetworkDriver driver,
    String parent,
    Ipv4Cidr subnet,
    int gateway,
    Ipv4Cidr ipRange,
    String mode,
    Optional<Integer> hostShim) {

  public NetworkConfig(String name, NetworkDriver driver, String parent, Ipv4Cidr subnet, int gateway,
      Ipv4Cidr ipRange, String mode) {
    this(name, driver, parent, subnet, gateway, ipRange, mode, Optional.empty());
  }

  private static final Set<String> IPVLAN_MODES = Set.of("l2", "l3", "l3s");
  private static final Set<String> MACVLAN_MODES = Set.of("bridge", "vepa", "private", "passthru");

  public NetworkConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(subnet, "subnet");
    Objects.requireNonNull(ipRange, "ipRange");
    Objects.requireNonNull(mode, "mode");
    if (!subnet.contains(gateway)) {
      throw new ConfigException(EnvNames.NETWORK_GATEWAY, Ipv4.format(gateway) + " is outside the subnet " + subnet);
    }
    if (!subnet.contains(ipRange)) {
      throw new ConfigException(EnvNames.NETWORK_IP_RANGE, ipRange + " is outside the subnet " + subnet);
    }
    Objects.requireNonNull(hostShim, "hostShim");
    hostShim.ifPresent(shim -> {
      String why = !subnet.contains(shim) ? "is outside the subnet " + subnet
          : shim == gateway ? "is the gateway" 
          : shim == subnet.first() || shim == subnet.last() ? "is the subnet's network or broadcast address" : null;
      if (why != null) {
        throw new ConfigException(EnvNames.NETWORK_HOST_SHIM, Ipv4.format(shim) + " " + why
            + "; give the host a free address of the subnet");
      }
    });
    Set<String> modes = driver == NetworkDriver.IPVLAN ? IPVLAN_MODES : MACVLAN_MODES;
    if (!modes.contains(mode)) {
      String variable = driver == NetworkDriver.IPVLAN ? EnvNames.IPVLAN_MODE : EnvNames.MACVLAN_MODE;
      throw new ConfigException(variable, "must be one of " + modes + " for the " + driver.dockerName() + " driver, got '" + mode + "'");
    }
  }

  /** The host's own interface on the network: named from the parent, so workers sharing a parent share it. */
  public String hostShimInterface() {
    return "bsh" + String.format("%08x", parent.hashCode());
  }

  /** The driver option that carries the mode: {@code ipvlan_mode} or {@code macvlan_mode}. */
  public String modeOption() {
    return driver.dockerName() + "_mode";
  }
}
