package io.berth.worker.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.worker.config.Ipv4;
import io.berth.worker.config.Ipv4Cidr;
import io.berth.worker.config.NetworkConfig;
import io.berth.worker.config.NetworkDriver;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressAllocatorTest {

  private static AddressAllocator allocator(String subnet, String gateway, String range) {
    return new AddressAllocator(new NetworkConfig("n", NetworkDriver.MACVLAN, "eth0", Ipv4Cidr.parse(subnet),
        Ipv4.parse(gateway), Ipv4Cidr.parse(range), "bridge"));
  }

  @Test
  void picksLowestFreeAddressOfTheRange() {
    AddressAllocator a = allocator("192.0.2.0/24", "192.0.2.1", "192.0.2.16/28");
    assertThat(a.pick(Set.of())).contains("192.0.2.16");
    assertThat(a.pick(Set.of("192.0.2.16", "192.0.2.17"))).contains("192.0.2.18");
  }

  @Test
  void neverGivesNetworkOrBroadcastAddress() {
    AddressAllocator a = allocator("192.0.2.0/28", "192.0.2.14", "192.0.2.0/29");
    assertThat(a.pick(Set.of())).contains("192.0.2.1");
    Set<String> all = new HashSet<>();
    String next;
    while ((next = a.pick(all).orElse(null)) != null) {
      all.add(next);
    }
    assertThat(all).doesNotContain("192.0.2.0", "192.0.2.14", "192.0.2.15").hasSize(7);
  }

  @Test
  void fullRangeGivesNothing() {
    AddressAllocator a = allocator("192.0.2.0/24", "192.0.2.1", "192.0.2.8/30");
    assertThat(a.pick(Set.of("192.0.2.8", "192.0.2.9", "192.0.2.10", "192.0.2.11"))).isEmpty();
  }

  @Test
  void assignableOnlyInsideRange() {
    AddressAllocator a = allocator("192.0.2.0/24", "192.0.2.1", "192.0.2.8/30");
    assertThat(a.isAssignable("192.0.2.9")).isTrue();
    assertThat(a.isAssignable("192.0.2.12")).isFalse();
    assertThat(a.isAssignable("not-an-ip")).isFalse();
  }

  @Test
  void randomPickStaysInsideTheRangeAndAvoidsUsedAddresses() {
    AddressAllocator a = allocator("192.0.2.0/24", "192.0.2.1", "192.0.2.8/30");
    java.util.Random random = new java.util.Random(7);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      seen.add(a.pickRandom(Set.of("192.0.2.8"), random).orElseThrow());
    }
    assertThat(seen).containsExactlyInAnyOrder("192.0.2.9", "192.0.2.10", "192.0.2.11");
    assertThat(a.pickRandom(Set.of("192.0.2.8", "192.0.2.9", "192.0.2.10", "192.0.2.11"), random)).isEmpty();
  }
}
