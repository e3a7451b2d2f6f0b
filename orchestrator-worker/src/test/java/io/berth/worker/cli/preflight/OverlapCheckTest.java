package io.berth.worker.cli.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.worker.config.Ipv4;
import io.berth.worker.config.Ipv4Cidr;
import io.berth.worker.docker.DockerNetwork;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverlapCheckTest {
  private final OverlapCheck check = new OverlapCheck();
  private final Ipv4Cidr subnet = Ipv4Cidr.parse("192.0.2.0/24");
  private final Ipv4Cidr range = Ipv4Cidr.parse("192.0.2.64/26");

  private static DockerNetwork network(String name, String... subnets) {
    return new DockerNetwork(name, "bridge", Map.of(), java.util.Arrays.stream(subnets)
        .map(s -> new DockerNetwork.Pool(s, null, null)).toList());
  }

  @Test
  void aRangeOverlappingAnotherNetworkFailsNamingIt() {
    List<CheckResult> results = check.judge("berth-wcs", subnet, range,
        List.of(network("bridge", "172.17.0.0/16"), network("lab", "192.0.2.96/27")), List.of());
    assertThat(results).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.detail()).isEqualTo("range 192.0.2.64/26 overlaps Docker network 'lab' (bridge, subnet "
          + "192.0.2.96/27): both would hand out the same addresses");
      assertThat(r.fix()).contains("docker network rm lab");
    });
  }

  @Test
  void aSubnetOverlapAloneFailsBecauseDockerRefusesTheNetwork() {
    List<CheckResult> results = check.judge("berth-wcs", subnet, range, List.of(network("lab", "192.0.2.0/26")),
        List.of());
    assertThat(results).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.detail()).startsWith("subnet 192.0.2.0/24 overlaps Docker network 'lab'")
          .contains("Pool overlaps with other one on this address space");
    });
  }

  @Test
  void berthsOwnNetworkAndIpv6PoolsAreNotOverlaps() {
    List<CheckResult> results = check.judge("berth-wcs", subnet, range,
        List.of(network("berth-wcs", "192.0.2.0/24"), network("v6", "fd00::/64"), network("host")), List.of());
    assertThat(results).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(CheckStatus.OK));
  }

  @Test
  void aHostAddressInsideTheRangeFails() {
    List<CheckResult> results = check.judge("berth-wcs", subnet, range, List.of(),
        List.of(new HostNet.Address("eth0", Ipv4.parse("192.0.2.10"), 24),
            new HostNet.Address("eth0", Ipv4.parse("192.0.2.70"), 24)));
    assertThat(results).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.detail()).isEqualTo("this host's address 192.0.2.70 (on eth0) is inside the range 192.0.2.64/26:"
          + " Berth could hand it to a transcoder");
    });
  }

  @Test
  void theHostShimsOwnAddressInsideTheRangeIsNoOverlap() {
    List<HostNet.Address> own = List.of(new HostNet.Address("bsh0c0ffee", Ipv4.parse("192.0.2.70"), 32));
    assertThat(check.judge("berth-wcs", subnet, range, List.of(), own, java.util.Optional.of(Ipv4.parse("192.0.2.70"))))
        .singleElement().extracting(CheckResult::status).isEqualTo(CheckStatus.OK);
    assertThat(check.judge("berth-wcs", subnet, range, List.of(), own, java.util.Optional.of(Ipv4.parse("192.0.2.71"))))
        .singleElement().extracting(CheckResult::status).isEqualTo(CheckStatus.FAIL);
  }

  @Test
  void aRemoteEngineSaysTheHostsAddressesWereNotCompared() {
    assertThat(check.judge("berth-wcs", subnet, range, List.of(), null)).singleElement()
        .satisfies(r -> assertThat(r.detail()).contains("not compared: Docker is remote"));
  }

  @Test
  void dockersSubnetsWithHostBitsAreReadAsTheirBlock() {
    assertThat(OverlapCheck.ipv4("10.1.2.3/16")).isEqualTo(Ipv4Cidr.parse("10.1.0.0/16"));
    assertThat(OverlapCheck.ipv4("fd00::/64")).isNull();
    assertThat(OverlapCheck.ipv4("nonsense")).isNull();
  }
}
