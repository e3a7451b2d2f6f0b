package io.berth.worker.cli.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DriverProbeCheckTest {
  private final DriverProbeCheck check = new DriverProbeCheck();

  @Test
  void aThrowawayLinkIsCreatedOnTheParentAndRemoved() throws Exception {
    Fakes fakes = new Fakes();
    List<CheckResult> results = fakes.run(check);

    assertThat(results).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.OK);
      assertThat(r.detail()).isEqualTo("the kernel creates macvlan links (mode bridge) on eth0: probed with a"
          + " throwaway link");
    });
    assertThat(fakes.commands.ran).hasSize(2);
    String probe = fakes.commands.ran.get(0).split(" ")[6];
    assertThat(fakes.commands.ran.get(0)).isEqualTo("ip link add link eth0 name " + probe + " type macvlan mode bridge");
    assertThat(fakes.commands.ran.get(1)).isEqualTo("ip link del " + probe);
  }

  @Test
  void theIpvlanModeIsProbedAsConfigured() throws Exception {
    Fakes fakes = new Fakes();
    fakes.env.put("BERTH_NETWORK_DRIVER", "ipvlan");
    fakes.env.put("BERTH_IPVLAN_MODE", "l3");
    fakes.run(check);
    assertThat(fakes.commands.ran.get(0)).endsWith("type ipvlan mode l3");
  }

  @Test
  void aMissingModuleFailsNamingIt() throws Exception {
    Fakes fakes = new Fakes();
    fakes.env.put("BERTH_NETWORK_DRIVER", "ipvlan");
    fakes.commands.answer("ip link add", new CommandRunner.Result(2, "Error: Unknown device type."));
    assertThat(fakes.run(check)).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.detail()).isEqualTo("the kernel has no ipvlan support: it answers 'Error: Unknown device type.'"
          + " (module ipvlan missing)");
      assertThat(r.fix()).startsWith("sudo modprobe ipvlan").contains("CONFIG_IPVLAN")
          .endsWith("BERTH_NETWORK_DRIVER=macvlan");
    });
    assertThat(fakes.commands.ran).as("nothing to delete").hasSize(1);
  }

  @Test
  void aRefusalByTheKernelOrTheParentFails() throws Exception {
    Fakes fakes = new Fakes();
    fakes.commands.answer("ip link add", new CommandRunner.Result(2, "RTNETLINK answers: Operation not supported"));
    assertThat(fakes.run(check).get(0)).satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.detail()).contains("refuses macvlan (mode bridge) on eth0");
    });
    fakes.commands.answer("ip link add", new CommandRunner.Result(2, "RTNETLINK answers: Device or resource busy"));
    assertThat(fakes.run(check).get(0).fix()).contains("not both");
  }

  @Test
  void withoutPrivilegesItCannotTellAndWarns() throws Exception {
    Fakes fakes = new Fakes();
    fakes.commands.answer("ip link add", new CommandRunner.Result(2, "RTNETLINK answers: Operation not permitted"));
    assertThat(fakes.run(check)).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.WARN);
      assertThat(r.fix()).contains("as root").contains("ip link add link eth0 name berthtest0 type macvlan");
    });
  }

  @Test
  void withoutIproute2ItWarns() throws Exception {
    Fakes fakes = new Fakes();
    fakes.commands.answers.clear();
    assertThat(fakes.run(check)).singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(CheckStatus.WARN));
  }

  @Test
  void aProbeLinkLeftBehindIsNamedForRemoval() throws Exception {
    Fakes fakes = new Fakes();
    fakes.commands.answer("ip link del", new CommandRunner.Result(1, "Cannot find device"));
    List<CheckResult> results = fakes.run(check);
    assertThat(results).extracting(CheckResult::status).containsExactly(CheckStatus.OK, CheckStatus.WARN);
    assertThat(results.get(1).fix()).startsWith("ip link del bprobe");
  }

  @Test
  void aRemoteEngineOrAMissingParentIsNotProbedHere() throws Exception {
    Fakes fakes = new Fakes();
    fakes.env.put("DOCKER_HOST", "tcp://10.0.0.5:2376");
    assertThat(fakes.run(check).get(0).status()).isEqualTo(CheckStatus.SKIP);
    fakes.env.remove("DOCKER_HOST");
    fakes.net.links.clear();
    assertThat(fakes.run(check).get(0).status()).isEqualTo(CheckStatus.SKIP);
    assertThat(fakes.commands.ran).isEmpty();
  }

  @Test
  void probeNamesFitTheKernelsLimit() {
    assertThat(DriverProbeCheck.probeName()).hasSizeLessThanOrEqualTo(15).startsWith("bprobe");
  }
}
