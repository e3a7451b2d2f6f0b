package io.berth.worker.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CapacityGateTest {
  private final List<Integer> freeReports = new ArrayList<>();
  private final CapacityGate gate = new CapacityGate(2, freeReports::add);
  private final TranscoderKey a = new TranscoderKey("t", "a");
  private final TranscoderKey b = new TranscoderKey("t", "b");
  private final TranscoderKey c = new TranscoderKey("t", "c");

  @Test
  void reservesUpToCapacityAndReportsFreeSlots() {
    assertThat(gate.tryReserve(a)).isTrue();
    assertThat(gate.tryReserve(b)).isTrue();
    assertThat(gate.tryReserve(c)).isFalse();
    assertThat(freeReports).containsExactly(1, 0);
  }

  @Test
  void heldTranscoderNeedsNoNewSlot() {
    gate.resetHeld(Set.of(a, b), gate.stamp());
    assertThat(gate.free()).isZero();
    assertThat(gate.tryReserve(a)).as("a duplicate request for a held transcoder").isTrue();
    assertThat(gate.tryReserve(c)).isFalse();
  }

  @Test
  void failedProvisionGivesTheSlotBackAndVacateFreesOne() {
    gate.tryReserve(a);
    gate.settle(a, false);
    assertThat(gate.free()).isEqualTo(2);
    gate.tryReserve(b);
    gate.settle(b, true);
    assertThat(gate.held()).isEqualTo(1);
    gate.vacate(b);
    assertThat(gate.free()).isEqualTo(2);
  }

  @Test
  void aResyncKeepsWhatChangedAfterItsSnapshot() {
    long stamp = gate.stamp();
    // Docker was read here: it knew of nothing. Meanwhile a provision settled and held one.
    gate.tryReserve(a);
    gate.settle(a, true);
    gate.resetHeld(Set.of(), stamp);
    assertThat(gate.held()).as("the snapshot is older than the settle").isEqualTo(1);

    gate.resetHeld(Set.of(), gate.stamp());
    assertThat(gate.held()).as("a newer snapshot wins").isZero();
  }

  @Test
  void onlyAHeldTranscoderThatGoesCountsAsVacated() {
    CapacityGate gate = new CapacityGate(2, free -> { });
    java.util.concurrent.atomic.AtomicInteger vacated = new java.util.concurrent.atomic.AtomicInteger();
    gate.onVacated(vacated::incrementAndGet);
    TranscoderKey a = new TranscoderKey("t", "a");
    TranscoderKey b = new TranscoderKey("t", "b");

    gate.tryReserve(a);
    gate.settle(a, false); // a provision that gave up frees no address
    assertThat(vacated).hasValue(0);
    gate.tryReserve(b);
    gate.settle(b, true);
    gate.vacate(b);
    assertThat(vacated).hasValue(1);
    gate.tryReserve(a);
    gate.settle(a, true);
    gate.resetHeld(java.util.List.of(), gate.stamp()); // Docker no longer shows it
    assertThat(vacated).hasValue(2);
  }
}
