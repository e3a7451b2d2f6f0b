package io.berth.worker.cli.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.worker.docker.DockerNetwork;
import io.berth.worker.docker.EngineVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks of this host's own things: configuration, Docker, its network, images, secrets, state directory. */
class HostChecksTest {

  @Test
  void aConfigurationErrorIsAFailedCheckNamingTheVariable() throws Exception {
    Fakes fakes = new Fakes();
    assertThat(fakes.run(new ConfigCheck()).get(0).status()).isEqualTo(CheckStatus.OK);
    fakes.env.put("BERTH_MAX_TRANSCODERS", "many");
    assertThat(fakes.run(new ConfigCheck())).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.detail()).isEqualTo("the worker would refuse to start: BERTH_MAX_TRANSCODERS: must be a whole"
          + " number, got 'many'");
      assertThat(r.fix()).startsWith("correct BERTH_MAX_TRANSCODERS");
    });
  }

  @Test
  void dockerMustAnswerAndSpeakApi141() throws Exception {
    Fakes fakes = new Fakes();
    assertThat(fakes.run(new DockerCheck()).get(0).detail()).isEqualTo("Docker Engine 20.10.24 at"
        + " unix:///var/run/docker.sock, API 1.41 (needs 1.41 or later)");
    fakes.docker.version = new EngineVersion("19.03.15", "1.40");
    assertThat(fakes.run(new DockerCheck())).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.fix()).isEqualTo("upgrade Docker Engine to 20.10 or later");
    });
    fakes.docker.unreachable();
    assertThat(fakes.run(new DockerCheck())).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.detail()).startsWith("no Docker Engine answers at unix:///var/run/docker.sock");
      assertThat(r.fix()).startsWith("start Docker");
    });
    assertThat(fakes.run(new ImageCheck())).extracting(CheckResult::status).containsExactly(CheckStatus.SKIP);
    assertThat(fakes.run(new NetworkCheck())).extracting(CheckResult::status).containsExactly(CheckStatus.SKIP);
  }

  @Test
  void anExistingNetworkWithOtherSettingsFails() throws Exception {
    Fakes fakes = new Fakes();
    assertThat(fakes.run(new NetworkCheck()).get(0).detail()).contains("does not exist yet");
    fakes.docker.networks.add(new DockerNetwork("berth-wcs", "macvlan", Map.of("parent", "eth0"),
        List.of(new DockerNetwork.Pool("192.0.2.0/24", "192.0.2.1", "192.0.2.64/26"))));
    assertThat(fakes.run(new NetworkCheck()).get(0)).satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.OK);
      assertThat(r.detail()).contains("exists with these settings");
    });
    fakes.docker.networks.set(1, new DockerNetwork("berth-wcs", "ipvlan", Map.of("parent", "eth1"),
        List.of(new DockerNetwork.Pool("192.0.2.0/24", "192.0.2.1", "192.0.2.64/26"))));
    assertThat(fakes.run(new NetworkCheck())).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.detail()).contains("driver is 'ipvlan', want 'macvlan'").contains("parent is 'eth1', want 'eth0'")
          .contains("network-conflict");
      assertThat(r.fix()).startsWith("docker network rm berth-wcs");
    });
  }

  @Test
  void theImageMustBePresentAndAllowed() throws Exception {
    Fakes fakes = new Fakes();
    assertThat(fakes.run(new ImageCheck())).singleElement()
        .satisfies(r -> assertThat(r.detail()).isEqualTo("wcs:5.2 is present on this host and allowed"));
    fakes.docker.images.clear();
    assertThat(fakes.run(new ImageCheck())).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.detail()).startsWith("wcs:5.2 (BERTH_IMAGE) is not present on this host");
      assertThat(r.fix()).startsWith("docker pull wcs:5.2");
    });
    fakes.docker.images.add("wcs:5.2");
    fakes.env.put("BERTH_ALLOWED_IMAGES", "wcs:5.2,wcs:5.3");
    assertThat(fakes.run(new ImageCheck())).extracting(CheckResult::status)
        .containsExactly(CheckStatus.OK, CheckStatus.WARN);
    fakes.env.put("BERTH_ALLOWED_IMAGES", "wcs:5.3");
    assertThat(fakes.run(new ImageCheck()).get(0)).satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.fix()).isEqualTo("add wcs:5.2 to BERTH_ALLOWED_IMAGES");
    });
  }

  @Test
  void secretFilesMustBeReadableAndNotEmpty() throws Exception {
    Fakes fakes = new Fakes();
    assertThat(fakes.run(new SecretsCheck())).extracting(CheckResult::status)
        .containsExactly(CheckStatus.OK, CheckStatus.OK);

    Path empty = Files.createTempFile("berth-empty", "");
    Files.setPosixFilePermissions(empty, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    fakes.env.put("BERTH_WCS_PASSWORD_FILE", empty.toString());
    fakes.env.put("BERTH_WCS_LICENSE_FILE", "/nonexistent/licence");
    List<CheckResult> results = fakes.run(new SecretsCheck());
    assertThat(results.get(0)).satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.detail()).isEqualTo("BERTH_WCS_PASSWORD_FILE: " + empty + " is empty");
    });
    assertThat(results.get(1)).satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.detail()).isEqualTo("BERTH_WCS_LICENSE_FILE: /nonexistent/licence does not exist");
      assertThat(r.fix()).contains("chmod 400");
    });
    assertThat(results.get(2)).satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.WARN);
      assertThat(r.detail()).isEqualTo(empty + " is readable by every user of this host");
    });

    fakes.env.put("BERTH_WCS_PASSWORD_FILE", empty.getParent().toString());
    assertThat(fakes.run(new SecretsCheck()).get(0).detail()).endsWith("is not a file");
    fakes.env.remove("BERTH_WCS_PASSWORD_FILE");
    assertThat(fakes.run(new SecretsCheck()).get(0).status()).isEqualTo(CheckStatus.WARN);
  }

  @Test
  void aSingleHostNeedsAWritableStateDirectory() throws Exception {
    Fakes fakes = new Fakes();
    assertThat(fakes.run(new StateDirCheck()).get(0).detail()).contains("does not exist yet: the worker creates it");
    Path file = Files.createTempFile("berth-state", "");
    fakes.env.put("BERTH_STATE_DIR", file.toString());
    assertThat(fakes.run(new StateDirCheck()).get(0).status()).isEqualTo(CheckStatus.FAIL);
    fakes.env.put("BERTH_ETCD_ENDPOINTS", "http://127.0.0.1:2379");
    assertThat(fakes.run(new StateDirCheck())).as("a fleet keeps intents in etcd").isEmpty();
  }
}
