package io.berth.worker.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.worker.config.Ipv4;
import io.berth.worker.config.Ipv4Cidr;
import io.berth.worker.config.NetworkConfig;
import io.berth.worker.config.NetworkDriver;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FleetNetworkTest {
  private static final Instant T = Instant.parse("2026-11-24T15:00:00Z");
  private final FleetNetwork fleet = new FleetNetwork("192.0.2.0/24", "192.0.2.1", "192.0.2.64/26", "host-a", T);

  @Test
  void theParentDriverAndNameMayDifferPerHost() {
    NetworkConfig other = new NetworkConfig("another-name", NetworkDriver.MACVLAN, "ens3", Ipv4Cidr.parse("192.0.2.0/24"),
        Ipv4.parse("192.0.2.1"), Ipv4Cidr.parse("192.0.2.64/26"), "bridge");
    assertThat(FleetNetwork.of(other, "host-b", T).differencesFrom(fleet)).isEmpty();
  }

  @Test
  void eachDifferingSettingIsNamedWithItsVariable() {
    FleetNetwork mine = new FleetNetwork("192.0.2.0/23", "192.0.2.1", "192.0.2.128/26", "host-b", T);
    assertThat(mine.differencesFrom(fleet)).extracting(FleetNetwork.Difference::variable)
        .containsExactly("BERTH_NETWORK_SUBNET", "BERTH_NETWORK_IP_RANGE");
    assertThat(mine.differencesFrom(fleet).get(1)).hasToString("range 192.0.2.128/26 (the fleet's: 192.0.2.64/26)");
  }

  @Test
  void theRecordSaysWhoRecordedItAndWhen() {
    assertThat(fleet.describe()).isEqualTo("subnet 192.0.2.0/24, gateway 192.0.2.1, range 192.0.2.64/26, recorded by "
        + "host host-a at 2026-11-24T15:00:00Z");
    assertThat(FleetNetwork.key("/berth")).isEqualTo("/berth/config/network");
  }

  @Test
  void readsWhatTheWorkerWritesAndIgnoresFieldsOfNewerWorkers() {
    String json = IntentBook.json(fleet);
    assertThat(IntentBook.decode(json, FleetNetwork.class)).isEqualTo(fleet);
    assertThat(IntentBook.decode(json.replace("{", "{\"mtu\":1500,"), FleetNetwork.class)).isEqualTo(fleet);
  }
}
