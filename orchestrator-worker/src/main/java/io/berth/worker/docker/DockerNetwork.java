package io.berth.worker.docker;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Docker network as {@code docker network ls/inspect} reports it: enough to compare Berth's network settings with
 * it and to find address pools that overlap Berth's.
 *
 * @param options driver options, e.g. {@code parent} and {@code macvlan_mode}
 * @param pools its IPAM configurations (IPv6 ones included; empty for {@code host} and {@code none})
 */
public record DockerNetwork(String name, String driver, Map<String, String> options, List<Pool> pools) {

  /** One IPAM configuration; any part may be null when Docker did not report it. */
  public record Pool(String subnet, String gateway, String ipRange) {}

  public DockerNetwork {
    Objects.requireNonNull(name, "name");
    driver = driver == null ? "" : driver;
    options = options == null ? Map.of() : Map.copyOf(options);
    pools = List.copyOf(pools);
  }
}
