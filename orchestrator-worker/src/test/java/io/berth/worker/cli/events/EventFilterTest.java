package io.berth.worker.cli.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.events.StopReason;
import io.berth.events.TranscoderStopped;
import io.berth.events.WorkerHeartbeat;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFilterTest {

  @Test
  void everyLifecycleTypeButHeartbeatsUnlessAskedFor() {
    assertThat(EventFilter.of(null, List.of()).routingKeys()).containsExactly("TranscoderStarted",
        "TranscoderStopped", "TranscoderRestarted", "TranscoderMoved", "ContainerCrashed", "ProvisioningFailed",
        "CommandRejected", "RoomDemandStatus");
    assertThat(EventFilter.of(null, List.of("WorkerHeartbeat", "ContainerCrashed")).routingKeys())
        .containsExactly("ContainerCrashed", "WorkerHeartbeat");
    assertThat(EventFilter.of(null, List.of()).accepts(EventLineTest.event("h", new WorkerHeartbeat("h", 1, 0, 1))))
        .isFalse();
  }

  @Test
  void commandsAndUnknownTypesAreRefusedNamingTheRealOnes() {
    assertThatThrownBy(() -> EventFilter.of(null, List.of("TranscoderRequested")))
        .hasMessageStartingWith("--type TranscoderRequested is not a lifecycle event; one of TranscoderStarted,");
    assertThatThrownBy(() -> EventFilter.of(null, List.of("transcoderstarted"))).hasMessageContaining("WorkerHeartbeat");
  }

  @Test
  void aTenantFilterLeavesOutOtherTenantsAndEventsWithoutOne() {
    EventFilter acme = EventFilter.of("acme", List.of("TranscoderStopped", "WorkerHeartbeat"));
    assertThat(acme.accepts(EventLineTest.event("h", new TranscoderStopped("acme", "t", "h", StopReason.RELEASED,
        true)))).isTrue();
    assertThat(acme.accepts(EventLineTest.event("h", new TranscoderStopped("globex", "t", "h", StopReason.RELEASED,
        true)))).isFalse();
    assertThat(acme.accepts(EventLineTest.event("h", new WorkerHeartbeat("h", 1, 0, 1)))).isFalse();
  }
}
