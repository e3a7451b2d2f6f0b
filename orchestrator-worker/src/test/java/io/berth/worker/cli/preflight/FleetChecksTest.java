package io.berth.worker.cli.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.worker.coordination.CoordinationUnavailableException;
import io.berth.worker.coordination.FleetNetwork;
import io.berth.worker.coordination.FleetSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FleetChecksTest {
  private static final Instant T = Instant.parse("2026-11-24T15:00:00Z");

  private static Fakes fleet() throws Exception {
    Fakes fakes = new Fakes();
    fakes.env.put("BERTH_ETCD_ENDPOINTS", "http://10.0.0.5:2379");
    return fakes;
  }

  @Test
  void aSingleHostHasNoFleetLines() throws Exception {
    Fakes fakes = new Fakes();
    assertThat(fakes.run(new EtcdCheck())).isEmpty();
    assertThat(fakes.run(new FleetPlanCheck())).isEmpty();
  }

  @Test
  void etcdMustAnswer() throws Exception {
    Fakes fakes = fleet();
    fakes.fleet = new FleetSnapshot("/berth", List.of(new FleetSnapshot.Member("host-b", "b/1", T, 8)), List.of(),
        Optional.empty());
    assertThat(fakes.run(new EtcdCheck())).singleElement().satisfies(r -> assertThat(r.detail())
        .isEqualTo("etcd at http://10.0.0.5:2379 answers: 1 live host (host-b), 0 transcoders under /berth"));
    fakes.fleetDown = new CoordinationUnavailableException("etcd did not answer within 3000 ms", null);
    assertThat(fakes.run(new EtcdCheck())).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.fix()).contains("BERTH_ETCD_ENDPOINTS");
    });
    assertThat(fakes.run(new FleetPlanCheck()).get(0).status()).isEqualTo(CheckStatus.SKIP);
  }

  @Test
  void thisHostIdLiveOnAnotherEngineFails() throws Exception {
    Fakes fakes = fleet();
    fakes.fleet = new FleetSnapshot("/berth", List.of(new FleetSnapshot.Member("host-a", "elsewhere/9", T, 8)),
        List.of(), Optional.empty());
    assertThat(fakes.run(new EtcdCheck())).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.detail()).startsWith("host id host-a is live in the fleet on Docker engine elsewhere/9");
    });
    fakes.docker.engineId = "elsewhere/9";
    assertThat(fakes.run(new EtcdCheck()).get(0).status()).isEqualTo(CheckStatus.OK);
  }

  @Test
  void theRangeMustBeTheFleets() throws Exception {
    Fakes fakes = fleet();
    assertThat(fakes.run(new FleetPlanCheck()).get(0).detail()).startsWith("no address plan recorded under"
        + " /berth/config/network yet");
    fakes.fleet = new FleetSnapshot("/berth", List.of(), List.of(),
        Optional.of(new FleetNetwork("192.0.2.0/24", "192.0.2.1", "192.0.2.128/26", "host-b", T)));
    assertThat(fakes.run(new FleetPlanCheck())).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.detail()).startsWith("this host's range 192.0.2.64/26 (the fleet's: 192.0.2.128/26) differs");
      assertThat(r.fix()).startsWith("set BERTH_NETWORK_IP_RANGE=192.0.2.128/26 as on every other host")
          .contains("etcdctl del /berth/config/network");
    });
    fakes.env.put("BERTH_NETWORK_IP_RANGE", "192.0.2.128/26");
    assertThat(fakes.run(new FleetPlanCheck()).get(0).status()).isEqualTo(CheckStatus.OK);
  }
}
