package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import io.berth.events.CloudEvent;
import io.berth.events.DemandIds;
import io.berth.events.RoomDemandChanged;
import io.berth.events.RoomDemandStatus;
import io.berth.events.StopReason;
import io.berth.events.TranscoderReleased;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import io.berth.events.TranscoderStopped;
import io.berth.events.testing.Examples;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A room's demand made true on a single host (docs/demand.md): scaled up and down to exactly the demand, the newest
 * removed first; unmet demand pending and placed when a slot frees, with no new command; the newer of two demands
 * wins whatever order they arrive in; a worker stopped mid-way and started again ends at the demand, no duplicates.
 */
class RoomDemandIT extends WorkerItSupport {

  private Map<String, String> env(String hostId, int capacity) throws Exception {
    Map<String, String> env = WorkerHarness.env(lan, network, hostId);
    env.put("BERTH_MAX_TRANSCODERS", Integer.toString(capacity));
    env.put("BERTH_RECONCILE_SECONDS", "1");
    env.put("BERTH_STOP_TIMEOUT_SECONDS", "1");
    return env;
  }

  private static CloudEvent<RoomDemandChanged> demand(String tenant, String room, int n, Instant at) {
    return CloudEvent.command(UUID.randomUUID().toString(), Examples.SOURCE, at,
        new RoomDemandChanged(tenant, room, n, null, null));
  }

  private static List<Container> roomContainers(String tenant, String room) {
    return containersOf(tenant).stream().filter(c -> room.equals(c.getLabels().get("io.berth.room"))).toList();
  }

  private static Set<String> running(String tenant, String room) {
    return roomContainers(tenant, room).stream().filter(c -> "running".equals(c.getState()))
        .map(c -> c.getLabels().get("io.berth.transcoder")).collect(Collectors.toSet());
  }

  private static Set<String> ids(String room, int n) {
    return IntStream.range(0, n).mapToObj(k -> DemandIds.transcoderId(room, k)).collect(Collectors.toSet());
  }

  /** Exactly the demand's ids run, nothing else of the room exists, each on its own address. */
  private static void awaitExactly(String tenant, String room, int n) {
    await().atMost(Duration.ofSeconds(90)).until(() -> running(tenant, room).equals(ids(room, n))
        && roomContainers(tenant, room).size() == n);
    assertThat(roomContainers(tenant, room).stream().map(c -> c.getLabels().get("io.berth.ip")).distinct())
        .hasSize(n);
  }

  private static RoomDemandStatus awaitStatus(String tenant, String room, int desired, int running, int pending) {
    return await().atMost(Duration.ofSeconds(60)).until(() -> tap.events(RoomDemandStatus.class,
            s -> s.tenantId().equals(tenant) && s.roomId().equals(room) && s.desired() == desired
                && s.running() == running && s.pending() == pending), l -> !l.isEmpty()).get(0);
  }

  @Test
  void demandZeroFiveTwoSevenGivesExactlyThatManyAndRemovesTheNewestFirst() throws Exception {
    String tenant = "dem-a";
    String room = "room";
    startWorker(env(hostId(), 10));
    Instant t = Instant.now().minusSeconds(60);

    tap.publish(demand(tenant, room, 0, t));
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> roomContainers(tenant, room)
        .isEmpty());

    CloudEvent<RoomDemandChanged> five = demand(tenant, room, 5, t.plusSeconds(1));
    tap.publish(five);
    awaitExactly(tenant, room, 5);
    RoomDemandStatus status = awaitStatus(tenant, room, 5, 5, 0);
    assertThat(status.demandId()).isEqualTo(five.id());
    assertThat(tap.events(TranscoderStarted.class, s -> s.tenantId().equals(tenant)))
        .extracting(TranscoderStarted::transcoderId).containsExactlyInAnyOrderElementsOf(ids(room, 5));
    assertThat(tap.causedBy(five.id())).isNotEmpty();

    tap.publish(demand(tenant, room, 2, t.plusSeconds(2)));
    awaitExactly(tenant, room, 2);
    assertThat(tap.events(TranscoderStopped.class, s -> s.tenantId().equals(tenant)))
        .allMatch(s -> s.reason() == StopReason.SCALED_DOWN && s.removed())
        .extracting(TranscoderStopped::transcoderId).as("the newest first")
        .containsExactly(DemandIds.transcoderId(room, 4), DemandIds.transcoderId(room, 3),
            DemandIds.transcoderId(room, 2));
    awaitStatus(tenant, room, 2, 2, 0);

    tap.publish(demand(tenant, room, 7, t.plusSeconds(3)));
    awaitExactly(tenant, room, 7);
    awaitStatus(tenant, room, 7, 7, 0);
  }

  @Test
  void demandBeyondCapacityStaysPendingAndTakesASlotWhenOneFreesWithoutANewCommand() throws Exception {
    String tenant = "dem-b";
    String room = "room";
    startWorker(env(hostId(), 3));
    CloudEvent<TranscoderRequested> explicit = request(tenant, "explicit", room);
    tap.publish(explicit);
    assertThat(awaitEventCausedBy(explicit.id()).data()).isInstanceOf(TranscoderStarted.class);

    tap.publish(demand(tenant, room, 3, Instant.now()));
    awaitStatus(tenant, room, 3, 2, 1);
    assertThat(running(tenant, room)).contains("explicit").containsAll(ids(room, 2)).hasSize(3);
    assertThat(tap.drainDeadLetters()).as("nothing dead-lettered for lack of capacity").isEmpty();

    CloudEvent<TranscoderReleased> release = Examples.transcoderReleased(tenant, "explicit");
    tap.publish(release);
    awaitExactly(tenant, room, 3);
    awaitStatus(tenant, room, 3, 3, 0);
  }

  @Test
  void aReleasedDemandTranscoderIsReplacedAndARoomCloseRemovesThemAll() throws Exception {
    String tenant = "dem-e";
    String room = "room";
    startWorker(env(hostId(), 10));
    Instant t = Instant.now().minusSeconds(30);
    tap.publish(demand(tenant, room, 3, t));
    awaitExactly(tenant, room, 3);
    String d1 = DemandIds.transcoderId(room, 1);
    String before = roomContainers(tenant, room).stream()
        .filter(c -> d1.equals(c.getLabels().get("io.berth.transcoder"))).findFirst().orElseThrow().getId();

    CloudEvent<TranscoderReleased> release = Examples.transcoderReleased(tenant, d1);
    tap.publish(release);
    assertThat(((TranscoderStopped) awaitEventCausedBy(release.id()).data()).reason()).isEqualTo(StopReason.RELEASED);
    await().atMost(Duration.ofSeconds(60)).until(() -> roomContainers(tenant, room).stream()
        .anyMatch(c -> d1.equals(c.getLabels().get("io.berth.transcoder")) && !c.getId().equals(before)));
    awaitExactly(tenant, room, 3); // the demand still counts it: a release replaces it

    CloudEvent<io.berth.events.RoomClosed> close = Examples.roomClosed(tenant, room);
    tap.publish(close);
    await().atMost(Duration.ofSeconds(60)).until(() -> roomContainers(tenant, room).isEmpty());
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> roomContainers(tenant, room)
        .isEmpty());
    assertThat(tap.events(TranscoderStopped.class, s -> s.tenantId().equals(tenant) && s.reason() != StopReason.RELEASED))
        .extracting(TranscoderStopped::reason).containsOnly(StopReason.ROOM_CLOSED);
    RoomDemandStatus last = awaitStatus(tenant, room, 0, 0, 0);
    assertThat(last.demandId()).isNull();
  }

  @Test
  void twoDemandsOutOfOrderEndAtTheNewer() throws Exception {
    String tenant = "dem-c";
    String room = "room";
    startWorker(env(hostId(), 10));
    Instant t = Instant.now();
    CloudEvent<RoomDemandChanged> newer = demand(tenant, room, 2, t.plusMillis(5));
    tap.publish(newer);
    tap.publish(demand(tenant, room, 4, t));
    awaitExactly(tenant, room, 2);
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> roomContainers(tenant, room)
        .size() == 2);
    assertThat(awaitStatus(tenant, room, 2, 2, 0).demandId()).isEqualTo(newer.id());
  }

  @Test
  void aWorkerStoppedMidWayAndStartedAgainEndsAtTheDemandWithNoDuplicates() throws Exception {
    String tenant = "dem-d";
    String room = "room";
    Map<String, String> env = env(hostId(), 10);
    WorkerHarness first = startWorker(env);
    tap.publish(demand(tenant, room, 6, Instant.now().minusSeconds(10)));
    await().atMost(Duration.ofSeconds(60)).until(() -> roomContainers(tenant, room).size() >= 2);
    first.close(); // mid scale-up
    workers.remove(first);
    WorkerHarness second = startWorker(env);
    awaitExactly(tenant, room, 6);

    tap.publish(demand(tenant, room, 1, Instant.now()));
    await().atMost(Duration.ofSeconds(60)).until(() -> !tap.events(TranscoderStopped.class,
        s -> s.tenantId().equals(tenant)).isEmpty());
    second.close(); // mid scale-down
    workers.remove(second);
    startWorker(env);
    awaitExactly(tenant, room, 1);
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> roomContainers(tenant, room)
        .size() == 1);
  }

  /**
   * The broker goes away right after a demand is recorded: the room converges in Docker meanwhile (nothing waits for
   * the broker), and once it is back every placement is reported exactly once and the room's state says 3/3/0.
   */
  @Test
  void aBrokerOutageDelaysTheReportsNotTheConvergence() throws Exception {
    String tenant = "dem-o";
    String room = "room";
    String host = hostId();
    startWorker(env(host, 10));
    String publishing = "berth-worker-" + host + "-publish";
    await().atMost(Duration.ofSeconds(30)).until(() -> !RabbitCtl.connectionsNamed(publishing).isEmpty());

    tap.publish(demand(tenant, room, 3, Instant.now()));
    await().atMost(Duration.ofSeconds(30)).until(() -> !roomContainers(tenant, room).isEmpty());
    assertThat(RabbitCtl.closeConnection(publishing, "berth test: broker outage under demand")).isEqualTo(1);
    java.util.concurrent.CompletableFuture<Void> outage = java.util.concurrent.CompletableFuture.runAsync(
        () -> RabbitCtl.keepClosed(publishing, Duration.ofSeconds(15)));

    awaitExactly(tenant, room, 3);
    assertThat(outage).as("converged while the lifecycle events could not be published").isNotDone();
    outage.join();
    awaitStatus(tenant, room, 3, 3, 0);
    await().atMost(Duration.ofSeconds(60)).until(() -> tap.events(TranscoderStarted.class,
        s -> s.tenantId().equals(tenant)).size() >= 3);
    assertThat(tap.events(TranscoderStarted.class, s -> s.tenantId().equals(tenant)))
        .extracting(TranscoderStarted::transcoderId).containsExactlyInAnyOrderElementsOf(ids(room, 3));
  }
}
