package io.berth.worker.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where Berth keeps what it wants. Without etcd endpoints the host keeps it alone, in a store under {@code stateDir};
 * with them the fleet keeps it in etcd, and {@code failover} is the host lease's TTL: how long a silent host keeps its
 * transcoders before the survivors take them over.
 *
 * @param stateDir single-host mode: directory of the durable local store (one file per host id)
 * @param etcdEndpoints fleet mode when not empty
 * @param etcdPrefix key prefix of this fleet in etcd; several fleets may share one etcd
 * @param failover lease TTL of a host in the fleet
 */
public record CoordinationConfig(Path stateDir, List<URI> etcdEndpoints, String etcdPrefix, Duration failover) {
  /** etcd's lease TTL is whole seconds; below 3 s a GC pause could fence a healthy host. */
  public static final Duration MIN_FAILOVER = Duration.ofSeconds(3);

  public CoordinationConfig {
    Objects.requireNonNull(stateDir, "stateDir");
    etcdEndpoints = List.copyOf(etcdEndpoints);
    if (etcdPrefix == null || !etcdPrefix.startsWith("/") || etcdPrefix.endsWith("/") || etcdPrefix.length() < 2) {
      throw new ConfigException(EnvNames.ETCD_PREFIX, "must start with '/' and not end with '/', got '" + etcdPrefix
          + "'");
    }
    if (failover.compareTo(MIN_FAILOVER) < 0 || failover.toMillis() % 1000 != 0) {
      throw new ConfigException(EnvNames.FAILOVER_SECONDS, "must be a whole number of seconds >= "
          + MIN_FAILOVER.toSeconds() + ", got " + failover.toMillis() / 1000.0);
    }
  }

  public boolean fleet() {
    return !etcdEndpoints.isEmpty();
  }
}
