package io.berth.worker.cli.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.worker.config.Ipv4;
import io.berth.worker.config.Ipv4Cidr;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AddressPlanCheckTest {
  private final AddressPlanCheck check = new AddressPlanCheck();

  private List<CheckResult> judge(String subnet, String gateway, String range, Integer capacity) {
    return check.judge(Ipv4Cidr.parse(subnet), Ipv4.parse(gateway), Ipv4Cidr.parse(range),
        Optional.ofNullable(capacity));
  }

  @Test
  void aConsistentPlanIsOkAndRemindsOfTheDhcpPool() {
    List<CheckResult> results = judge("192.0.2.0/24", "192.0.2.1", "192.0.2.64/26", 20);
    assertThat(results).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.OK);
      assertThat(r.detail()).contains("64 addresses").contains("out of the LAN's DHCP pool");
    });
  }

  @Test
  void aRangeOutsideTheSubnetFailsWithABlockThatFits() {
    List<CheckResult> results = judge("192.0.2.0/24", "192.0.2.1", "203.0.113.0/26", null);
    assertThat(results).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.detail()).isEqualTo("range 203.0.113.0/26 is not inside the subnet 192.0.2.0/24");
      assertThat(r.fix()).isEqualTo("set BERTH_NETWORK_IP_RANGE to a block inside 192.0.2.0/24, e.g. 192.0.2.192/26");
    });
  }

  @Test
  void aRangeMayHoldTheGatewayWhichIsNeverHandedOut() {
    // A whole /24 for transcoders: 256 minus network, broadcast and the router's address.
    List<CheckResult> results = judge("192.0.2.0/24", "192.0.2.1", "192.0.2.0/24", null);
    assertThat(results).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.OK);
      assertThat(r.detail()).contains("(253 addresses; the gateway 192.0.2.1 is never handed out)");
    });
  }

  @Test
  void aGatewayOutsideTheSubnetOrOnItsEdgesFails() {
    assertThat(judge("192.0.2.0/24", "198.51.100.1", "192.0.2.64/26", null)).singleElement()
        .satisfies(r -> assertThat(r.detail()).isEqualTo("gateway 198.51.100.1 is outside the subnet 192.0.2.0/24"));
    assertThat(judge("192.0.2.0/24", "192.0.2.255", "192.0.2.64/26", null)).singleElement()
        .satisfies(r -> assertThat(r.detail()).contains("is the broadcast address"));
  }

  @Test
  void aRangeSmallerThanTheHostsCapacityWarns() {
    assertThat(judge("192.0.2.0/24", "192.0.2.1", "192.0.2.248/29", 20)).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.WARN);
      assertThat(r.detail()).contains("(7 addresses)").contains("BERTH_MAX_TRANSCODERS is 20");
      assertThat(r.fix()).contains("BERTH_MAX_TRANSCODERS=7");
    });
    assertThat(judge("192.0.2.0/24", "192.0.2.1", "192.0.2.248/29", null).get(0).status())
        .as("a fleet shares the range: no per-host capacity to compare").isEqualTo(CheckStatus.OK);
  }

  @Test
  void theSubnetsNetworkAndBroadcastAddressesAreNotUsable() {
    assertThat(AddressPlanCheck.usable(Ipv4Cidr.parse("192.0.2.0/28"), Ipv4Cidr.parse("192.0.2.0/29"), 0)).isEqualTo(7);
    assertThat(AddressPlanCheck.usable(Ipv4Cidr.parse("192.0.2.0/28"), Ipv4Cidr.parse("192.0.2.0/29"),
        Ipv4.parse("192.0.2.1"))).isEqualTo(6);
    assertThat(AddressPlanCheck.usable(Ipv4Cidr.parse("192.0.2.0/24"), Ipv4Cidr.parse("192.0.2.255/32"), 0)).isZero();
    assertThat(judge("192.0.2.0/24", "192.0.2.1", "192.0.2.255/32", null)).singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(CheckStatus.FAIL));
  }

  @Test
  void missingSettingsSkipBecauseTheConfigLineSaysWhy() throws Exception {
    Fakes fakes = new Fakes();
    fakes.env.put("BERTH_NETWORK_SUBNET", "192.0.2.0");
    assertThat(fakes.run(check)).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(CheckStatus.SKIP));
  }
}
