package io.berth.worker.cli.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParentCheckTest {
  private final ParentCheck check = new ParentCheck();

  @TempDir
  Path sys;

  private void link(String name, String flags, String operstate) throws Exception {
    Path dir = Files.createDirectories(sys.resolve(name));
    Files.writeString(dir.resolve("flags"), flags + "\n");
    Files.writeString(dir.resolve("operstate"), operstate + "\n");
  }

  @Test
  void sysfsIsReadAsIpLinkShowsIt() throws Exception {
    link("eth0", "0x1003", "up");
    link("eth1", "0x1002", "down");
    link("wlan0", "0x1003", "up");
    Files.createDirectories(sys.resolve("wlan0").resolve("wireless"));
    SystemHostNet net = new SystemHostNet(sys);

    assertThat(net.link("eth0")).contains(new HostNet.Link("eth0", true, "up", false));
    assertThat(net.link("eth1")).contains(new HostNet.Link("eth1", false, "down", false));
    assertThat(net.link("wlan0").orElseThrow().wireless()).isTrue();
    assertThat(net.link("eth9")).isEmpty();
    assertThat(net.link("../eth0")).isEmpty();
    assertThat(net.linkNames()).containsExactly("eth0", "eth1", "wlan0");
  }

  @Test
  void aMissingParentFailsListingTheInterfaces() throws Exception {
    Fakes fakes = new Fakes();
    fakes.env.put("BERTH_NETWORK_PARENT", "eth9");
    fakes.net.links.put("lo", new HostNet.Link("lo", true, "unknown", false));
    assertThat(fakes.run(check)).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.detail()).isEqualTo("no interface named 'eth9' on this host (it has: eth0, lo)");
      assertThat(r.fix()).startsWith("set BERTH_NETWORK_PARENT to the interface on the LAN");
    });
  }

  @Test
  void aParentDownOrWithoutLinkFails() throws Exception {
    Fakes fakes = new Fakes();
    fakes.net.links.put("eth0", new HostNet.Link("eth0", false, "down", false));
    assertThat(fakes.run(check).get(0)).satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.fix()).startsWith("ip link set eth0 up");
    });
    fakes.net.links.put("eth0", new HostNet.Link("eth0", true, "lowerlayerdown", false));
    assertThat(fakes.run(check).get(0).detail()).contains("has no link (operstate lowerlayerdown)");
  }

  @Test
  void aParentWithoutLinkStateReportingIsUp() throws Exception {
    Fakes fakes = new Fakes();
    fakes.net.links.put("eth0", new HostNet.Link("eth0", true, "unknown", false));
    assertThat(fakes.run(check).get(0).status()).isEqualTo(CheckStatus.OK);
  }

  @Test
  void macvlanOnWifiWarns() throws Exception {
    Fakes fakes = new Fakes();
    fakes.net.links.put("eth0", new HostNet.Link("eth0", true, "up", true));
    assertThat(fakes.run(check)).extracting(CheckResult::status).containsExactly(CheckStatus.OK, CheckStatus.WARN);
    fakes.env.put("BERTH_NETWORK_DRIVER", "ipvlan");
    assertThat(fakes.run(check)).extracting(CheckResult::status).containsExactly(CheckStatus.OK);
  }

  @Test
  void aRemoteEngineHasItsOwnInterfaces() throws Exception {
    Fakes fakes = new Fakes();
    fakes.env.put("DOCKER_HOST", "tcp://10.0.0.5:2376");
    fakes.net.links.clear();
    assertThat(fakes.run(check)).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(CheckStatus.SKIP));
  }
}
