package io.berth.worker.coordination;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What etcd says about a fleet at one moment, read for people ({@code berth status}, {@code berth preflight}); the
 * workers never act on it.
 *
 * @param hosts the live members: a host record exists only while its lease does
 * @param transcoders every transcoder the fleet keeps a spec of or someone owns, sorted by tenant and transcoder
 * @param network the fleet's address plan, if a worker has recorded it
 */
public record FleetSnapshot(String prefix, List<Member> hosts, List<Placement> transcoders,
    Optional<FleetNetwork> network) {

  /**
   * A live host.
   *
   * @param joinedAt when it registered with its current lease
   * @param leaseSecondsLeft seconds until etcd expires its lease unless renewed; -1 when etcd did not say
   */
  public record Member(String hostId, String engineId, Instant joinedAt, long leaseSecondsLeft) {}

  /**
   * Where a transcoder is, as the fleet sees it.
   *
   * @param roomId null when no spec is kept (an owner mid-provision)
   * @param address its address, null when no spec is kept
   * @param owner the host holding it now; null when nobody does (an orphan waiting to be taken over, or left alone:
   *     crash-looped or its tenant suspended)
   * @param lastStartedOn the host it last started on, as the kept spec says; null when no spec is kept
   * @param kept whether the fleet keeps its spec (false: claimed by {@code owner}, not started yet)
   */
  public record Placement(String tenantId, String transcoderId, String roomId, String address, String owner,
      String lastStartedOn, boolean kept, boolean crashLooped, boolean tenantSuspended) {

    /** {@code held}, {@code claimed} (owned, no spec yet: mid-provision) or {@code orphan} (no owner). */
    public String state() {
      if (owner == null) {
        return "orphan";
      }
      return kept ? "held" : "claimed";
    }
  }

  public FleetSnapshot {
    Objects.requireNonNull(prefix, "prefix");
    hosts = List.copyOf(hosts);
    transcoders = List.copyOf(transcoders);
    Objects.requireNonNull(network, "network");
  }

  /** How many transcoders a host owns now. */
  public long owned(String hostId) {
    return transcoders.stream().filter(t -> hostId.equals(t.owner())).count();
  }

  public Optional<Member> host(String hostId) {
    return hosts.stream().filter(h -> h.hostId().equals(hostId)).findFirst();
  }
}
