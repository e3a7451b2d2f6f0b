package io.berth.worker.it.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import io.berth.events.CloudEvent;
import io.berth.events.DemandIds;
import io.berth.events.RoomDemandChanged;
import io.berth.events.RoomDemandStatus;
import io.berth.events.StopReason;
import io.berth.events.TranscoderStopped;
import io.berth.events.WorkerHeartbeat;
import io.berth.events.testing.Examples;
import io.berth.worker.it.BrokerTap;
import io.berth.worker.it.Shell;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A room's demand on a real fleet (three engines in namespaces, etcd, one broker; a worker process per host), one
 * fleet for every step, in order: 0 → 5 → 2 → 7 with two hosts of 3 slots each (the 7th pending, and the room event
 * says so); a third host joins and takes it with no new command; two demands out of order end at the newer; a host
 * killed while the room scales up ends at the demand on the survivors; a worker killed while the room scales down and
 * started again ends at the demand. Never two containers for one id or one address.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoomDemandFleetIT {
  private static final int FAILOVER_SECONDS = 6;
  private static final int SLOTS = 3;
  private static final String TENANT = "demand";
  private static final String ROOM = "room";
  private static TestFleet fleet;
  private static String vhost;
  private static BrokerTap tap;
  private static final Map<String, Process> workers = new HashMap<>();
  private static final Set<String> deadHosts = new HashSet<>();
  private static Path workDir;
  private static Instant clock = Instant.now().minusSeconds(600);

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = TestFleet.start(3);
    vhost = "berth-demand-" + fleet.tag();
    Shell.must("rabbitmqctl", "-q", "add_vhost", vhost);
    Shell.must("rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
    tap = new BrokerTap("amqp://guest:guest@127.0.0.1:5672/" + vhost);
    workDir = FleetWorkers.workDir();
    startWorker(fleet.host(1));
    startWorker(fleet.host(2));
    awaitHeartbeats(2);
  }

  @AfterAll
  static void stopFleet() throws Exception {
    workers.values().forEach(Process::destroyForcibly);
    if (tap != null) {
      tap.close();
    }
    if (fleet != null) {
      fleet.close();
    }
    if (vhost != null) {
      Shell.run("rabbitmqctl", "-q", "delete_vhost", vhost);
    }
  }

  private static void startWorker(FleetHost host) throws Exception {
    Map<String, String> env = FleetWorkers.env(fleet, host, vhost, workDir);
    env.put("BERTH_MAX_TRANSCODERS", Integer.toString(SLOTS));
    env.put("BERTH_ETCD_ENDPOINTS", fleet.etcdEndpoints());
    env.put("BERTH_ETCD_PREFIX", "/berth-" + fleet.tag());
    env.put("BERTH_FAILOVER_SECONDS", Integer.toString(FAILOVER_SECONDS));
    workers.put(host.name(), FleetWorkers.start(host, env, workDir));
  }

  private static void awaitHeartbeats(int hosts) {
    await().atMost(Duration.ofSeconds(60))
        .failFast("a worker exited; see its log in " + workDir, () -> workers.values().stream()
            .anyMatch(p -> !p.isAlive()) && deadHosts.isEmpty())
        .until(() -> tap.events(WorkerHeartbeat.class).stream().map(WorkerHeartbeat::hostId)
            .collect(Collectors.toSet()).size() >= hosts);
  }

  /** Each demand a second after the last: their times order them, as an autoscaler's clock would. */
  private static CloudEvent<RoomDemandChanged> demand(int n) {
    clock = clock.plusSeconds(1);
    return demandAt(n, clock);
  }

  private static CloudEvent<RoomDemandChanged> demandAt(int n, Instant at) {
    return CloudEvent.command(UUID.randomUUID().toString(), Examples.SOURCE, at,
        new RoomDemandChanged(TENANT, ROOM, n, null, null));
  }

  /** The room's containers on every live engine, whatever their state. */
  private static List<Container> roomContainers() {
    List<Container> all = new ArrayList<>();
    for (FleetHost host : fleet.hosts()) {
      if (deadHosts.contains(host.name())) {
        continue;
      }
      all.addAll(host.docker().listContainersCmd().withShowAll(true)
          .withLabelFilter(Map.of("io.berth.managed", "true", "io.berth.room", ROOM)).exec());
    }
    return all;
  }

  private static Set<String> ids(int n) {
    return IntStream.range(0, n).mapToObj(k -> DemandIds.transcoderId(ROOM, k)).collect(Collectors.toSet());
  }

  /** True when exactly ids 0..n-1 exist, each once, each running, on distinct addresses. */
  private static boolean exactly(Set<String> wanted) {
    List<Container> containers = roomContainers();
    List<String> transcoders = containers.stream().map(c -> c.getLabels().get("io.berth.transcoder")).toList();
    return transcoders.size() == wanted.size() && new HashSet<>(transcoders).equals(wanted)
        && containers.stream().allMatch(c -> "running".equals(c.getState()))
        && containers.stream().map(c -> c.getLabels().get("io.berth.ip")).distinct().count() == wanted.size();
  }

  private static void awaitExactly(Set<String> wanted) {
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .failFast("a live worker exited; see the logs in " + workDir, () -> workers.entrySet().stream()
            .anyMatch(e -> !deadHosts.contains(e.getKey()) && !e.getValue().isAlive()))
        .until(() -> exactly(wanted));
  }

  private static void awaitStatus(String demandId, int desired, int running, int pending) {
    await().atMost(Duration.ofSeconds(60)).until(() -> !tap.events(RoomDemandStatus.class,
        s -> s.roomId().equals(ROOM) && demandId.equals(s.demandId()) && s.desired() == desired
            && s.running() == running && s.pending() == pending).isEmpty());
  }

  private static Map<String, Long> perHost() {
    return roomContainers().stream().collect(Collectors.groupingBy(c -> c.getLabels().get("io.berth.host"),
        Collectors.counting()));
  }

  @Test
  @Order(1)
  void zeroFiveTwoSevenWithTheSeventhPendingUntilAHostJoins() throws Exception {
    tap.publish(demand(0));
    CloudEvent<RoomDemandChanged> five = demand(5);
    tap.publish(five);
    awaitExactly(ids(5));
    assertThat(perHost()).as("spread over both hosts, within their slots").hasSize(2)
        .allSatisfy((host, n) -> assertThat(n).isLessThanOrEqualTo(SLOTS));
    awaitStatus(five.id(), 5, 5, 0);

    CloudEvent<RoomDemandChanged> two = demand(2);
    tap.publish(two);
    awaitExactly(ids(2));
    assertThat(tap.events(TranscoderStopped.class, s -> s.tenantId().equals(TENANT)))
        .allMatch(s -> s.reason() == StopReason.SCALED_DOWN)
        .extracting(TranscoderStopped::transcoderId).as("the newest three")
        .hasSameElementsAs(ids(5).stream().filter(id -> !ids(2).contains(id)).toList());
    awaitStatus(two.id(), 2, 2, 0);

    CloudEvent<RoomDemandChanged> seven = demand(7);
    tap.publish(seven);
    awaitExactly(ids(6)); // two hosts of three slots: the lowest six
    awaitStatus(seven.id(), 7, 6, 1);
    assertThat(tap.drainDeadLetters()).as("nothing dead-lettered for lack of capacity").isEmpty();

    startWorker(fleet.host(3)); // a host joins: it takes the pending one, no command needed
    awaitExactly(ids(7));
    awaitStatus(seven.id(), 7, 7, 0);
  }

  @Test
  @Order(2)
  void twoDemandsOutOfOrderEndAtTheNewer() throws Exception {
    Instant older = clock.plusSeconds(1);
    Instant newer = clock.plusSeconds(2);
    clock = newer;
    CloudEvent<RoomDemandChanged> four = demandAt(4, newer);
    tap.publish(four);
    tap.publish(demandAt(6, older));
    awaitExactly(ids(4));
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> exactly(ids(4)));
    awaitStatus(four.id(), 4, 4, 0);
  }

  @Test
  @Order(3)
  void aHostKilledWhileTheRoomScalesUpEndsAtTheDemandOnTheSurvivors() throws Exception {
    FleetHost victim = fleet.hosts().stream()
        .max((a, b) -> Long.compare(perHost().getOrDefault(FleetWorkers.hostId(a), 0L),
            perHost().getOrDefault(FleetWorkers.hostId(b), 0L))).orElseThrow();
    CloudEvent<RoomDemandChanged> six = demand(6);
    tap.publish(six);
    victim.kill();
    deadHosts.add(victim.name());
    awaitExactly(ids(6)); // two survivors of three slots: all six, each once
    awaitStatus(six.id(), 6, 6, 0);
  }

  @Test
  @Order(4)
  void aWorkerKilledWhileTheRoomScalesDownAndStartedAgainEndsAtTheDemand() throws Exception {
    FleetHost host = fleet.hosts().stream().filter(h -> !deadHosts.contains(h.name())).findFirst().orElseThrow();
    CloudEvent<RoomDemandChanged> one = demand(1);
    tap.publish(one);
    await().atMost(Duration.ofSeconds(30)).until(() -> !tap.causedBy(one.id()).isEmpty());
    workers.get(host.name()).destroyForcibly().waitFor();
    startWorker(host);
    awaitExactly(ids(1));
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> exactly(ids(1)));
    awaitStatus(one.id(), 1, 1, 0);
  }
}
