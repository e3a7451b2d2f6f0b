package io.berth.worker.coordination;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.berth.worker.config.EnvNames;
import io.berth.worker.config.Ipv4;
import io.berth.worker.config.NetworkConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The address plan every host of a fleet shares, as the first worker recorded it under {@code {prefix}/config/network}.
 * Addresses are allocated fleet-wide from one range and move with their transcoders between hosts, so a host with
 * another subnet, gateway or range would hand out addresses its peers cannot take over (or that collide with
 * theirs). The parent interface, driver and network name may differ per host; they are not part of it.
 *
 * @param recordedBy the host id of the worker that recorded it
 * @param recordedAt when it was recorded
 */
@JsonIgnoreProperties(ignoreUnknown = true) // a newer worker may record more; an older one still compares these
public record FleetNetwork(String subnet, String gateway, String ipRange, String recordedBy, Instant recordedAt) {

  public FleetNetwork {
    Objects.requireNonNull(subnet, "subnet");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(ipRange, "ipRange");
  }

  /** This host's plan, as it would be recorded by {@code hostId} now. */
  public static FleetNetwork of(NetworkConfig network, String hostId, Instant now) {
    return new FleetNetwork(network.subnet().toString(), Ipv4.format(network.gateway()), network.ipRange().toString(),
        hostId, now);
  }

  /** The key under a fleet's prefix. */
  public static String key(String prefix) {
    return prefix + "/config/network";
  }

  /** One setting where this host's plan differs from the fleet's. */
  public record Difference(String variable, String setting, String mine, String fleets) {
    @Override
    public String toString() {
      return setting + " " + mine + " (the fleet's: " + fleets + ")";
    }
  }

  /** What differs from the fleet's plan; empty when the plans agree. */
  public List<Difference> differencesFrom(FleetNetwork fleet) {
    List<Difference> differences = new ArrayList<>();
    if (!subnet.equals(fleet.subnet)) {
      differences.add(new Difference(EnvNames.NETWORK_SUBNET, "subnet", subnet, fleet.subnet));
    }
    if (!gateway.equals(fleet.gateway)) {
      differences.add(new Difference(EnvNames.NETWORK_GATEWAY, "gateway", gateway, fleet.gateway));
    }
    if (!ipRange.equals(fleet.ipRange)) {
      differences.add(new Difference(EnvNames.NETWORK_IP_RANGE, "range", ipRange, fleet.ipRange));
    }
    return differences;
  }

  /** How the recorded plan reads in a message. */
  public String describe() {
    return "subnet " + subnet + ", gateway " + gateway + ", range " + ipRange
        + (recordedBy == null ? "" : ", recorded by host " + recordedBy)
        + (recordedAt == null ? "" : " at " + recordedAt);
  }
}
