package io.berth.worker.coordination;

import static io.berth.worker.coordination.Etcd.await;
import static io.berth.worker.coordination.Etcd.bytes;
import static io.berth.worker.coordination.Etcd.text;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's membership of the fleet: an etcd lease with TTL {@code failover}, renewed every quarter of it, to which
 * the host record and every ownership key are bound. The lease-then-fence rule (timings in docs/fleet.md):
 *
 * <ul>
 *   <li>A renewal counts from the moment it was <em>sent</em>: etcd refreshed the lease after that, so the lease
 *       cannot expire before {@code sent + TTL}. "Silence" is the time since the last confirmed renewal was sent.
 *   <li>Silence over {@code TTL/2}: the host is suspect — it claims nothing new.
 *   <li>Silence over {@code 3·TTL/4}: it fences — kills and removes every transcoder it runs — so by the time etcd
 *       can expire the lease (not before {@code TTL}) and survivors take the addresses, nothing of it answers on the
 *       LAN. Fencing has the last quarter of the TTL.
 *   <li>Unless {@link OutageWitness} shows that every other live host has lost etcd too: that is an etcd outage, not
 *       this host's partition; nobody can take anything over (etcd cannot expire leases while it is down, and
 *       restores them with a full TTL when it comes back), so running transcoders stay.
 * </ul>
 */
public final class HostLease implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HostLease.class);

  /** What the worker does when the lease says so. */
  public interface Listener {
    /** Out of contact past the fence deadline: stop everything this host runs, now. */
    void fence(String reason);

    /** In contact again after a fence, with a lease: ownership of what was fenced has been given up. */
    void rejoined();
  }

  /** Evidence that etcd is down for every host, not just cut off from this one. */
  public interface OutageWitness {
    boolean etcdDownForAll();

    OutageWitness NONE = () -> false;
  }

  record HostRecord(String hostId, String engineId, long leaseId, Instant since) {}

  private final Client client;
  private final String hostKey;
  private final String hostId;
  private final String engineId;
  private final long ttlSeconds;
  private final long suspectAfterNanos;
  private final long fenceAfterNanos;
  private final Listener listener;
  private final LongSupplier nanoTime;
  private final ScheduledExecutorService timer;
  private volatile OutageWitness witness = OutageWitness.NONE;
  private volatile long leaseId;
  private volatile long lastConfirmedSent;
  private volatile boolean fenced;
  private volatile boolean outageLogged;
  private volatile String lastError = "";
  private volatile long lastFenceNanos;
  private volatile java.util.Set<String> lastLiveHosts = java.util.Set.of();

  private HostLease(Client client, String hostKey, String hostId, String engineId, Duration ttl, Listener listener,
      LongSupplier nanoTime) {
    this.client = client;
    this.hostKey = hostKey;
    this.hostId = hostId;
    this.engineId = engineId;
    this.ttlSeconds = ttl.toSeconds();
    this.suspectAfterNanos = ttl.toNanos() / 2;
    this.fenceAfterNanos = ttl.toNanos() * 3 / 4;
    this.listener = listener;
    this.nanoTime = nanoTime;
    // Two threads: a renewal blocked on an absent etcd must not delay the fence deadline.
    this.timer = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "berth-host-lease");
      t.setDaemon(true);
      return t;
    });
  }

  static HostLease acquire(Client client, String hostKey, String hostId, String engineId, Duration ttl,
      Listener listener) {
    HostLease lease = new HostLease(client, hostKey, hostId, engineId, ttl, listener, System::nanoTime);
    lease.register(true);
    long every = Math.max(200, ttl.toMillis() / 4);
    lease.timer.scheduleWithFixedDelay(lease::renew, every, every, TimeUnit.MILLISECONDS);
    long watch = Math.max(50, ttl.toMillis() / 40);
    lease.timer.scheduleWithFixedDelay(lease::watchdog, watch, watch, TimeUnit.MILLISECONDS);
    return lease;
  }

  public void witness(OutageWitness witness) {
    this.witness = witness;
  }

  /** The lease id, if this host may act for the fleet now; otherwise a transient error. */
  long idIfHeld() {
    if (!held()) {
      throw new CoordinationUnavailableException("host " + hostId + " is not in contact with the fleet"
          + (fenced ? " (fenced)" : ""), null);
    }
    return leaseId;
  }

  /** In contact: renewed within half the TTL, and not fenced. */
  public boolean held() {
    return !fenced && silenceNanos() <= suspectAfterNanos;
  }

  /** Time since the last confirmed renewal was sent. */
  public long silenceNanos() {
    return nanoTime.getAsLong() - lastConfirmedSent;
  }

  public Duration ttl() {
    return Duration.ofSeconds(ttlSeconds);
  }

  public boolean fenced() {
    return fenced;
  }

  /** Registers the host record with a lease: a live record of another engine is refused, ours (a restart) adopted. */
  private void register(boolean adoptPrevious) {
    ByteSequence key = bytes(hostKey);
    var existing = await(client.getKVClient().get(key, GetOption.DEFAULT), "reading host record").getKvs();
    if (!existing.isEmpty()) {
      HostRecord previous = IntentBook.decode(text(existing.get(0).getValue()), HostRecord.class);
      if (!engineId.equals(previous.engineId())) {
        throw new IllegalStateException("host id '" + hostId + "' is live in the fleet on Docker engine "
            + previous.engineId() + " (this worker's engine is " + engineId + "); two workers with one host id "
            + "would undo each other's work: give each host its own BERTH_HOST_ID");
      }
      long sent = nanoTime.getAsLong();
      if (adoptPrevious && alive(previous.leaseId())) {
        // The previous run of this worker on this engine: keep its lease, and with it what it holds.
        leaseId = previous.leaseId();
        lastConfirmedSent = sent;
        log.info("joined the fleet with the previous run's lease: hostId={} lease={}", hostId,
            Long.toHexString(leaseId));
        return;
      }
    }
    long sent = nanoTime.getAsLong();
    long id = await(client.getLeaseClient().grant(ttlSeconds), "granting a lease").getID();
    String record = IntentBook.json(new HostRecord(hostId, engineId, id, Instant.now()));
    var txn = await(client.getKVClient().txn()
        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
        .Then(Op.put(key, bytes(record), PutOption.builder().withLeaseId(id).build()))
        .commit(), "registering the host");
    if (!txn.isSucceeded()) {
      revokeQuietly(id);
      if (existing.isEmpty()) {
        throw new IllegalStateException("host id '" + hostId + "' was registered by another worker at the same "
            + "moment; give each host its own BERTH_HOST_ID");
      }
      // Our previous record is still there but its lease is not alive: it is about to vanish. Wait for it.
      throw new CoordinationUnavailableException("the previous record of host " + hostId + " has not expired yet",
          null);
    }
    leaseId = id;
    lastConfirmedSent = sent;
    log.info("joined the fleet: hostId={} lease={} ttlSeconds={}", hostId, Long.toHexString(id), ttlSeconds);
  }

  private java.util.Set<String> liveHosts() {
    String dir = hostKey.substring(0, hostKey.length() - hostId.length());
    java.util.Set<String> hosts = new java.util.HashSet<>();
    for (var kvp : await(client.getKVClient().get(bytes(dir), GetOption.builder().isPrefix(true).withKeysOnly(true)
        .build()), "listing hosts").getKvs()) {
      hosts.add(text(kvp.getKey()).substring(dir.length()));
    }
    return java.util.Set.copyOf(hosts);
  }

  /** The fleet's live hosts as of the last confirmed renewal: whom to ask when etcd goes quiet. */
  public java.util.Set<String> lastLiveHosts() {
    return lastLiveHosts;
  }

  public String hostId() {
    return hostId;
  }

  private boolean alive(long id) {
    try {
      return await(client.getLeaseClient().keepAliveOnce(id), "renewing the previous lease").getTTL() > 0;
    } catch (CoordinationUnavailableException e) {
      return false; // not found (expired) or not answered: grant a fresh one
    }
  }

  private void renew() {
    long sent = nanoTime.getAsLong();
    try {
      long ttl = await(client.getLeaseClient().keepAliveOnce(leaseId), "renewing the host lease",
          Duration.ofMillis(Math.max(200, ttlSeconds * 1000 / 4))).getTTL();
      if (ttl <= 0) {
        lost("the host lease expired");
        return;
      }
      lastConfirmedSent = sent;
      outageLogged = false;
      lastLiveHosts = liveHosts();
      if (fenced) {
        rejoin();
      }
    } catch (CoordinationUnavailableException e) {
      if (String.valueOf(e.getMessage()).contains("NOT_FOUND")) {
        lost("the host lease expired");
        return;
      }
      lastError = e.getMessage();
    } catch (RuntimeException e) {
      log.error("host lease renewal failed unexpectedly: error={}", e.toString(), e);
    }
  }

  /** The fence deadline, checked on its own clock: 3·TTL/4 of silence, unless the whole fleet lost etcd. */
  private void watchdog() {
    long silentNanos = silenceNanos();
    if (fenced) {
      refence();
      return;
    }
    if (silentNanos <= fenceAfterNanos) {
      return;
    }
    if (witness.etcdDownForAll()) {
      if (!outageLogged) {
        log.warn("etcd unreachable for every host of the fleet: keeping transcoders running, moving nothing;"
            + " silentMs={} error={}", silentNanos / 1_000_000, lastError);
        outageLogged = true;
      }
      return;
    }
    synchronized (this) {
      if (!fenced) {
        fence("no contact with etcd for " + silentNanos / 1_000_000 + " ms (fence after "
            + fenceAfterNanos / 1_000_000 + " ms): " + lastError);
      }
    }
  }

  /** While fenced, fence again now and then: a provision that was starting a container when the fence ran. */
  private void refence() {
    long now = nanoTime.getAsLong();
    if (now - lastFenceNanos < fenceAfterNanos / 6) {
      return;
    }
    lastFenceNanos = now;
    try {
      listener.fence("still fenced");
    } catch (RuntimeException e) {
      log.error("fencing again failed: hostId={} error={}", hostId, e.toString());
    }
  }

  private void lost(String reason) {
    synchronized (this) {
      if (!fenced) {
        fence(reason);
      }
    }
    try {
      register(false);
      rejoin();
    } catch (RuntimeException e) {
      log.warn("could not rejoin the fleet yet: error={}", e.getMessage());
    }
  }

  private void fence(String reason) {
    fenced = true;
    lastFenceNanos = nanoTime.getAsLong();
    log.error("fencing: stopping every transcoder on this host before the fleet takes them over: hostId={} reason={}",
        hostId, reason);
    try {
      listener.fence(reason);
    } catch (RuntimeException e) {
      log.error("fencing failed: hostId={} error={}", hostId, e.toString(), e);
    }
  }

  private synchronized void rejoin() {
    try {
      listener.rejoined();
      fenced = false;
      log.info("rejoined the fleet after fencing: hostId={}", hostId);
    } catch (RuntimeException e) {
      log.warn("rejoin not finished, retried at the next renewal: error={}", e.getMessage());
    }
  }

  private void revokeQuietly(long id) {
    try {
      await(client.getLeaseClient().revoke(id), "revoking a lease");
    } catch (RuntimeException e) {
      // it expires by itself
    }
  }

  /**
   * Leaves the fleet on a clean stop. The lease is left to expire rather than revoked: what this host holds must
   * stay held across a restart of the worker (the next run adopts the lease), and it is not taken over before the TTL
   * if the host really is gone.
   */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
