package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import io.berth.events.CloudEvent;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Two workers with different host ids share one broker: every request lands on exactly one, within capacity. */
class MultiWorkerIT extends WorkerItSupport {

  @Test
  void twoWorkersShareTwentyRequestsWithoutDuplicatesAndWithinCapacity() throws Exception {
    int capacity = 12;
    for (String host : List.of(hostId(), hostId())) {
      Map<String, String> env = WorkerHarness.env(lan, network, host);
      env.put("BERTH_MAX_TRANSCODERS", Integer.toString(capacity));
      env.put("BERTH_PREFETCH", "4");
      startWorker(env);
    }
    List<CloudEvent<TranscoderRequested>> requests = IntStream.range(0, 20)
        .mapToObj(i -> request("multi", "tx-" + i, "room-" + (i % 3))).toList();
    for (CloudEvent<TranscoderRequested> r : requests) {
      tap.publish(r);
    }
    tap.publish(requests.get(7)); // one duplicate in the burst

    await().atMost(Duration.ofMinutes(3)).until(() -> requests.stream().allMatch(r -> !tap.causedBy(r.id()).isEmpty()));
    List<TranscoderStarted> started = tap.events(TranscoderStarted.class, s -> s.tenantId().equals("multi"));
    assertThat(started.stream().map(TranscoderStarted::transcoderId).distinct()).hasSize(20);

    List<Container> containers = containersOf("multi");
    assertThat(containers).hasSize(20);
    assertThat(containers.stream().map(c -> c.getLabels().get("io.berth.transcoder")).distinct()).hasSize(20);
    assertThat(containers.stream().map(c -> c.getLabels().get("io.berth.ip")).distinct()).as("no shared address").hasSize(20);
    Map<String, Long> perHost = containers.stream()
        .collect(Collectors.groupingBy(c -> c.getLabels().get("io.berth.host"), Collectors.counting()));
    assertThat(perHost.values()).allMatch(n -> n <= capacity);
    assertThat(perHost.keySet()).containsExactlyInAnyOrderElementsOf(workers.stream().map(w -> w.worker().hostId()).toList());
  }

  @Test
  void aFullHostLeavesRequestsToAHostWithRoom() throws Exception {
    Map<String, String> small = WorkerHarness.env(lan, network, hostId());
    small.put("BERTH_MAX_TRANSCODERS", "1");
    WorkerHarness one = startWorker(small);
    CloudEvent<TranscoderRequested> first = request("cap", "tx-0", "room");
    tap.publish(first);
    awaitEventCausedBy(first.id());
    await().until(() -> one.worker().capacity().free() == 0);

    WorkerHarness roomy = startWorker(hostId());
    List<CloudEvent<TranscoderRequested>> more = IntStream.range(1, 4).mapToObj(i -> request("cap", "tx-" + i, "room")).toList();
    for (CloudEvent<TranscoderRequested> r : more) {
      tap.publish(r);
    }
    await().atMost(Duration.ofSeconds(90)).until(() -> more.stream().allMatch(r -> !tap.causedBy(r.id()).isEmpty()));
    assertThat(containersOf("cap")).filteredOn(c -> c.getLabels().get("io.berth.host").equals(one.worker().hostId())).hasSize(1);
    assertThat(containersOf("cap")).filteredOn(c -> c.getLabels().get("io.berth.host").equals(roomy.worker().hostId())).hasSize(3);
  }
}
