package io.berth.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What preflight compares with the broker is what the worker declares. */
class TopologyEntitiesTest {

  private static Map<String, Topology.Entity> entities() {
    return Topology.entities("host-a", 7).stream()
        .collect(Collectors.toMap(e -> e.kind() + " " + e.name(), Function.identity()));
  }

  @Test
  void everyExchangeAndQueueTheWorkerDeclares() {
    assertThat(entities()).containsOnlyKeys("EXCHANGE berth.commands", "EXCHANGE berth.lifecycle",
        "EXCHANGE berth.dead-letter", "QUEUE berth.dead-letter", "EXCHANGE berth.unroutable", "QUEUE berth.requests",
        "QUEUE berth.unroutable", "QUEUE berth.host.host-a", "EXCHANGE berth.fleet");
  }

  @Test
  void withTheArgumentsTheWorkerDeclaresThemWith() {
    Map<String, Topology.Entity> e = entities();
    assertThat(e.get("QUEUE berth.requests").arguments()).isEqualTo(Topology.workQueueArguments(7))
        .containsEntry("x-delivery-limit", 7);
    assertThat(e.get("QUEUE berth.host.host-a").arguments()).isEqualTo(Topology.hostQueueArguments(7))
        .containsEntry("x-expires", Topology.HOST_QUEUE_EXPIRES.toMillis())
        .containsEntry("x-max-length", Topology.MAX_QUEUE_LENGTH);
    assertThat(e.get("QUEUE berth.unroutable").arguments()).doesNotContainKey("x-expires");
    assertThat(e.get("EXCHANGE berth.commands").arguments()).containsEntry("alternate-exchange", "berth.unroutable");
  }

  @Test
  void onlyWhatTheWorkerCarriesOnWithIsTolerated() {
    assertThat(entities().values().stream().filter(Topology.Entity::tolerated).map(Topology.Entity::name))
        .containsExactlyInAnyOrder("berth.commands", "berth.unroutable", "berth.host.host-a");
    assertThat(entities().get("EXCHANGE berth.commands").policy()).contains(Topology.ALTERNATE_EXCHANGE_POLICY);
  }
}
