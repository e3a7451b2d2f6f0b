package io.berth.worker.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.worker.config.CoordinationConfig;
import io.berth.worker.it.TestEtcd;
import io.berth.worker.provisioning.TranscoderKey;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fleet's coordination on a real etcd: one owner, one address each, leases, fencing, intents that persist. */
class EtcdCoordinationIT {
  private static TestEtcd etcd;
  private final List<EtcdCoordination> opened = new ArrayList<>();
  /** One address plan for every host of the test's fleet, as a real fleet shares one. */
  private static final FleetNetwork NETWORK = new FleetNetwork("192.0.2.0/24", "192.0.2.1", "192.0.2.64/26", "it",
      Instant.EPOCH);
  private final String prefix = "/berth-it-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void startEtcd() throws Exception {
    etcd = new TestEtcd();
  }

  @AfterAll
  static void stopEtcd() throws Exception {
    etcd.close();
  }

  @AfterEach
  void closeAll() {
    opened.forEach(EtcdCoordination::close);
  }

  private static final class Recorder implements HostLease.Listener {
    final AtomicInteger fences = new AtomicInteger();
    final AtomicInteger rejoins = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicReference<EtcdCoordination> host = new java.util.concurrent.atomic.AtomicReference<>();
    volatile long silenceAtFenceMs = -1;

    @Override
    public void fence(String reason) {
      if (reason.equals("still fenced")) {
        return; // the same fence, repeated while it lasts
      }
      fences.incrementAndGet();
      EtcdCoordination h = host.get();
      if (h != null) {
        silenceAtFenceMs = h.lease().silenceNanos() / 1_000_000;
      }
    }

    @Override
    public void rejoined() {
      rejoins.incrementAndGet();
    }
  }

  private EtcdCoordination join(String hostId, String engineId, int failoverSeconds, HostLease.Listener listener) {
    CoordinationConfig config = new CoordinationConfig(Path.of("/nonexistent"), List.of(URI.create(etcd.endpoint())),
        prefix, Duration.ofSeconds(failoverSeconds));
    EtcdCoordination c = EtcdCoordination.join(config, NETWORK, hostId, engineId, Clock.systemUTC(),
        Duration.ofHours(1), listener);
    opened.add(c);
    return c;
  }

  private EtcdCoordination join(String hostId) {
    return join(hostId, "engine-" + hostId, 10, new Recorder());
  }

  @Test
  void aHostWithAnotherAddressPlanIsRefusedBeforeItRegisters() {
    EtcdCoordination first = join("plan-a"); // the first worker records the plan
    CoordinationConfig config = new CoordinationConfig(Path.of("/nonexistent"), List.of(URI.create(etcd.endpoint())),
        prefix, Duration.ofSeconds(10));
    FleetNetwork otherRange = new FleetNetwork("192.0.2.0/24", "192.0.2.1", "192.0.2.128/26", "plan-b", Instant.now());

    assertThatThrownBy(() -> opened.add(EtcdCoordination.join(config, otherRange, "plan-b", "engine-plan-b",
        Clock.systemUTC(), Duration.ofHours(1), new Recorder())))
        .isInstanceOf(io.berth.worker.config.ConfigException.class)
        .hasMessageStartingWith("BERTH_NETWORK_IP_RANGE: this host's range 192.0.2.128/26 (the fleet's: "
            + "192.0.2.64/26) differs from the fleet's address plan")
        .hasMessageContaining("etcdctl del " + prefix + "/config/network");
    assertThat(first.liveHosts()).containsExactly("plan-a");
    assertThat(join("plan-c").liveHosts()).containsExactlyInAnyOrder("plan-a", "plan-c"); // the same plan joins
  }

  @Test
  void concurrentClaimsAndReservationsHaveExactlyOneWinnerEach() throws Exception {
    List<EtcdCoordination> hosts = List.of(join("host-a"), join("host-b"), join("host-c"));
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      // 30 transcoders, each claimed by all three hosts at once: exactly one claim per transcoder wins.
      Map<TranscoderKey, AtomicInteger> wins = new ConcurrentHashMap<>();
      List<Future<Optional<String>>> claims = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        TranscoderKey key = new TranscoderKey("acme", "tx-" + i);
        for (EtcdCoordination host : hosts) {
          claims.add(pool.submit(() -> {
            Optional<String> holder = host.claim(key);
            if (holder.isEmpty()) {
              wins.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            }
            return holder;
          }));
        }
      }
      for (Future<Optional<String>> f : claims) {
        f.get();
      }
      assertThat(wins).hasSize(30).allSatisfy((key, count) -> assertThat(count.get()).as(key.toString()).isEqualTo(1));

      // 20 transcoders race for 20 addresses, every host picking the lowest it believes free.
      List<String> range = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        range.add("203.0.113." + (100 + i));
      }
      List<Callable<String>> tasks = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        TranscoderKey key = new TranscoderKey("acme", "addr-" + i);
        EtcdCoordination host = hosts.get(i % 3);
        tasks.add(() -> {
          for (String candidate : range) {
            if (host.reserveAddress(candidate, key)) {
              return candidate;
            }
          }
          return null;
        });
      }
      List<String> got = new ArrayList<>();
      for (Future<String> f : pool.invokeAll(tasks)) {
        got.add(f.get());
      }
      assertThat(got).doesNotContainNull().doesNotHaveDuplicates().hasSize(20);
      assertThat(hosts.get(0).reservedAddresses()).containsExactlyInAnyOrderElementsOf(range);
      // Reserving one's own address again is fine; someone else's is refused.
      assertThat(hosts.get(1).reserveAddress(got.get(0), new TranscoderKey("acme", "addr-0"))).isTrue();
      assertThat(hosts.get(1).reserveAddress(got.get(0), new TranscoderKey("acme", "intruder"))).isFalse();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aDeadHostsTranscodersBecomeOrphansWithTheirAddressKept() {
    Recorder deadListener = new Recorder();
    EtcdCoordination dead = join("host-dead", "engine-d", 3, deadListener);
    EtcdCoordination survivor = join("host-live");
    TranscoderKey key = new TranscoderKey("acme", "tx-1");
    assertThat(dead.claim(key)).isEmpty();
    assertThat(dead.reserveAddress("203.0.113.70", key)).isTrue();
    dead.keep(kept(key, "203.0.113.70", "host-dead"));
    assertThat(survivor.claim(key)).contains("host-dead");
    assertThat(survivor.orphans()).isEmpty();

    dead.lease().close(); // stops renewing, as a dead host would; etcd expires it after the TTL
    await().atMost(Duration.ofSeconds(15)).until(() -> !survivor.liveHosts().contains("host-dead"));
    assertThat(survivor.orphans()).extracting(KeptTranscoder::address).containsExactly("203.0.113.70");
    assertThat(survivor.claim(key)).as("taken over by transaction").isEmpty();
    assertThat(survivor.orphans()).isEmpty();
    assertThat(survivor.reserveAddress("203.0.113.70", key)).as("the address follows the transcoder").isTrue();
    assertThat(survivor.reserveAddress("203.0.113.70", new TranscoderKey("acme", "other"))).isFalse();

    survivor.release(key);
    assertThat(survivor.kept(key)).isEmpty();
    assertThat(survivor.reservedAddresses()).doesNotContain("203.0.113.70");
  }

  @Test
  void anOrphanIsReleasedOnceByWhicheverHostGetsThereFirst() {
    EtcdCoordination dead = join("host-gone", "engine-g", 3, new Recorder());
    EtcdCoordination a = join("host-x");
    EtcdCoordination b = join("host-y");
    TranscoderKey key = new TranscoderKey("acme", "tx-2");
    dead.claim(key);
    dead.reserveAddress("203.0.113.71", key);
    dead.keep(kept(key, "203.0.113.71", "host-gone"));
    assertThat(a.releaseOrphan(key)).as("owned by a live host: not an orphan").isFalse();
    dead.lease().close();
    await().atMost(Duration.ofSeconds(15)).until(() -> !a.orphans().isEmpty());
    assertThat(List.of(a.releaseOrphan(key), b.releaseOrphan(key))).containsExactlyInAnyOrder(true, false);
    assertThat(a.reservedAddresses()).doesNotContain("203.0.113.71");
  }

  @Test
  void aHostIdLiveOnAnotherEngineIsRefusedAndARestartOnTheSameEngineKeepsItsLease() {
    EtcdCoordination first = join("host-twin", "engine-1", 10, new Recorder());
    TranscoderKey key = new TranscoderKey("acme", "tx-3");
    assertThat(first.claim(key)).isEmpty();
    assertThatThrownBy(() -> join("host-twin", "engine-2", 10, new Recorder()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("host id 'host-twin' is live in the fleet on Docker engine engine-1");
    first.close(); // a worker restart: the lease is left to run
    EtcdCoordination again = join("host-twin", "engine-1", 10, new Recorder());
    assertThat(again.claim(key)).as("still ours after the restart").isEmpty();
    assertThat(join("host-other").claim(key)).contains("host-twin");
  }

  @Test
  void intentsAreSharedByTheFleetAndOutliveEveryWorker() {
    EtcdCoordination a = join("host-i1");
    TranscoderKey key = new TranscoderKey("acme", "tx-4");
    Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
    a.tenantSuspended("acme", t0);
    a.transcoderReleased(key, new Cancellation("rel-1", "TranscoderReleased", Instant.now()));
    a.crashLooped(key);
    a.close();
    EtcdCoordination b = join("host-i2");
    assertThat(b.isSuspended("acme")).isTrue();
    assertThat(b.cancelling(key, "room", Instant.now().minusSeconds(5))).isPresent();
    assertThat(b.isCrashLooped(key)).isTrue();
    b.tenantResumed("acme", t0.minusSeconds(1));
    assertThat(b.isSuspended("acme")).as("an older resume does not undo it").isTrue();
  }

  @Test
  void aHostCutOffFromEtcdFencesBeforeItsLeaseCanExpireAndRejoinsAfter() throws Exception {
    // No witness: nobody says etcd is down for all, so this is this host's partition.
    Recorder listener = new Recorder();
    EtcdCoordination host = join("host-cut", "engine-c", 4, listener);
    listener.host.set(host);
    TranscoderKey key = new TranscoderKey("acme", "tx-5");
    host.claim(key);
    host.keep(kept(key, "203.0.113.72", "host-cut"));
    etcd.stop();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> listener.fences.get() == 1);
      // The lease cannot expire before TTL after the last confirmed renewal was sent: fencing starts well before.
      assertThat(listener.silenceAtFenceMs).isBetween(3000L, 3900L);
      assertThat(host.lease().held()).isFalse();
      assertThatThrownBy(() -> host.claim(new TranscoderKey("acme", "tx-6")))
          .isInstanceOf(CoordinationUnavailableException.class);
    } finally {
      etcd.start();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> listener.rejoins.get() >= 1 && host.lease().held());
    assertThat(listener.fences.get()).isEqualTo(1);
  }

  @Test
  void anEtcdOutageSeenByEveryHostFencesNobody() throws Exception {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    EtcdCoordination hostA = join("host-o1", "engine-o1", 3, a);
    EtcdCoordination hostB = join("host-o2", "engine-o2", 3, b);
    // The witness stands in for the other hosts' word on the broker: everyone has lost etcd.
    hostA.lease().witness(() -> true);
    hostB.lease().witness(() -> true);
    TranscoderKey key = new TranscoderKey("acme", "tx-7");
    hostA.claim(key);
    hostA.keep(kept(key, "203.0.113.73", "host-o1"));
    etcd.stop();
    try {
      // Longer than the TTL: nobody fences.
      await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7))
          .until(() -> a.fences.get() == 0 && b.fences.get() == 0);
    } finally {
      etcd.start();
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> hostA.lease().held() && hostB.lease().held());
    assertThat(hostB.claim(key)).as("nothing moved: still host-o1's").contains("host-o1");
    assertThat(hostB.orphans()).isEmpty();
  }

  @Test
  void roomDemandsAreSharedByTheFleetOrderedByTimeAndOutliveEveryWorker() throws Exception {
    EtcdCoordination a = join("host-d1");
    EtcdCoordination b = join("host-d2");
    Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
    Demand five = new Demand(5, "berth/wcs-standin:test", new io.berth.events.Resources(0.25, 64), t0, "d-5",
        "RoomDemandChanged");

    a.demandChanged("acme", "room-1", five);
    assertThat(b.demand("acme", "room-1")).as("seen by every host").contains(five);
    assertThat(b.demandChanged("acme", "room-1", demand(2, t0.minusSeconds(1), "d-old")))
        .as("an older demand reaching another host later").isEqualTo(five);

    // Every host receives every demand: two at the same time, each host recording both in its own order, end at the
    // one first recorded last; the other host's copies are no new arrivals.
    a.demandChanged("acme", "room-2", demand(3, t0, "tie-x"));
    a.demandChanged("acme", "room-2", demand(4, t0, "tie-y"));
    b.demandChanged("acme", "room-2", demand(3, t0, "tie-x"));
    b.demandChanged("acme", "room-2", demand(4, t0, "tie-y"));
    assertThat(a.demand("acme", "room-2")).get().extracting(Demand::commandId).isEqualTo("tie-y");

    // Both hosts at once, 40 demands each: the newest wins, whichever host wrote it.
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Demand>> writes = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        EtcdCoordination host = i % 2 == 0 ? a : b;
        Demand d = demand(i % 65, t0.plusMillis(i), "c-" + i);
        writes.add(() -> host.demandChanged("acme", "room-3", d));
      }
      for (Future<Demand> f : pool.invokeAll(writes)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(b.demand("acme", "room-3")).get().extracting(Demand::commandId).isEqualTo("c-79");

    // A close recorded by one host is the room's demand of 0 for all.
    b.roomClosed("acme", "room-1", new Cancellation("close-1", "RoomClosed", t0.plusSeconds(1)));
    assertThat(a.demand("acme", "room-1")).get().extracting(Demand::transcoders).isEqualTo(0);

    a.close();
    b.close();
    EtcdCoordination c = join("host-d3");
    assertThat(c.demands()).extracting(RoomDemand::roomId, r -> r.demand().commandId())
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("room-1", "close-1"),
            org.assertj.core.groups.Tuple.tuple("room-2", "tie-y"), org.assertj.core.groups.Tuple.tuple("room-3", "c-79"));
  }

  private static Demand demand(int transcoders, Instant at, String commandId) {
    return new Demand(transcoders, null, null, at, commandId, "RoomDemandChanged");
  }

  private static KeptTranscoder kept(TranscoderKey key, String address, String hostId) {
    return new KeptTranscoder(key.tenantId(), key.transcoderId(), "room-1", "berth/wcs-standin:test", 0.25, 64, address,
        "req-" + key.transcoderId(), Instant.now(), hostId, "cid", key.containerName());
  }
}
