package io.berth.worker.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.worker.cli.StatusCommand;
import io.berth.worker.coordination.CoordinationUnavailableException;
import io.berth.worker.coordination.FleetReader;
import io.berth.worker.coordination.FleetSnapshot;
import io.berth.worker.docker.DockerUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code berth status} through picocli, Docker and etcd faked: output and exit codes. */
class StatusCommandTest {
  private final Map<String, String> env = new HashMap<>(Map.of("BERTH_HOST_ID", "host-a"));
  private final FakeInventory docker = StatusRenderingTest.engine();
  private final List<String> dockerHosts = new ArrayList<>();
  private final List<String> fleetsRead = new ArrayList<>();
  private FleetSnapshot fleet = StatusRenderingTest.fleet();
  private RuntimeException etcdDown;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    StatusCommand command = new StatusCommand(env, host -> {
      dockerHosts.add(host);
      return docker;
    }, (List<URI> endpoints, String prefix) -> {
      fleetsRead.add(endpoints + " " + prefix);
      return new FleetReader() {
        @Override
        public FleetSnapshot read() {
          if (etcdDown != null) {
            throw etcdDown;
          }
          return fleet;
        }

        @Override
        public void close() {
        }
      };
    }, Clock.fixed(StatusRenderingTest.NOW, ZoneOffset.UTC));
    return new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
  }

  @Test
  void aSingleHostNeedsOnlyDockerAndItsHostId() {
    assertThat(run()).isZero();
    assertThat(out.toString()).startsWith("host host-a (Docker unix:///var/run/docker.sock): 3 transcoders")
        .doesNotContain("fleet");
    assertThat(dockerHosts).containsExactly("unix:///var/run/docker.sock");
    assertThat(fleetsRead).isEmpty();
  }

  @Test
  void optionsOverrideTheEnvironmentAndHostnameIsTheFallback() {
    env.remove("BERTH_HOST_ID");
    env.put("HOSTNAME", "HOST-B");
    env.put("DOCKER_HOST", "tcp://10.0.0.5:2376");
    assertThat(run()).isZero();
    assertThat(out.toString()).startsWith("host host-b (Docker tcp://10.0.0.5:2376): 1 transcoder");
    assertThat(run("--host-id", "host-a", "--docker-host", "unix:///run/other.sock")).isZero();
    assertThat(dockerHosts).containsExactly("tcp://10.0.0.5:2376", "unix:///run/other.sock");
  }

  @Test
  void aFleetAddsItsHostsAndPlacements() {
    env.put("BERTH_ETCD_ENDPOINTS", "http://10.0.0.5:2379,http://10.0.0.6:2379");
    assertThat(run()).isZero();
    assertThat(fleetsRead).containsExactly("[http://10.0.0.5:2379, http://10.0.0.6:2379] /berth");
    assertThat(out.toString()).contains("\n\nfleet /berth: 2 live hosts, 4 transcoders")
        .contains("globex   tc-9        lobby    192.0.2.67  -       orphan");
  }

  @Test
  void jsonIsOneObject() throws IOException {
    env.put("BERTH_ETCD_ENDPOINTS", "http://10.0.0.5:2379");
    assertThat(run("--json")).isZero();
    assertThat(out.toString().lines()).hasSize(1);
    var json = new ObjectMapper().readTree(out.toString());
    assertThat(json.path("host").path("transcoders")).hasSize(3);
    assertThat(json.path("fleet").path("transcoders")).hasSize(4);
    assertThat(json.path("problems")).isEmpty();
  }

  @Test
  void whatCannotBeReadIsSaidAndTheRestShownWithExitOne() throws IOException {
    env.put("BERTH_ETCD_ENDPOINTS", "http://10.0.0.5:2379");
    etcdDown = new CoordinationUnavailableException("etcd did not answer within 3000 ms while listing /berth/hosts/",
        null);
    assertThat(run()).isEqualTo(1);
    assertThat(out.toString()).startsWith("host host-a").doesNotContain("fleet");
    assertThat(err.toString()).isEqualTo("berth: etcd: cannot read the fleet at http://10.0.0.5:2379: etcd did not"
        + " answer within 3000 ms while listing /berth/hosts/" + System.lineSeparator());

    etcdDown = null;
    docker.down = new DockerUnavailableException("list containers", new IOException("Connection refused"));
    out.getBuffer().setLength(0);
    assertThat(run("--json")).isEqualTo(1);
    var doc = new ObjectMapper().readTree(out.toString());
    assertThat(doc.path("host").isNull()).isTrue();
    assertThat(doc.path("fleet").path("hosts")).hasSize(2);
    assertThat(doc.path("problems").get(0).asText()).startsWith("docker: cannot read unix:///var/run/docker.sock:");
  }

  @Test
  void withoutAUsableHostIdItSaysWhatToSet() {
    env.remove("BERTH_HOST_ID");
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).startsWith("berth: no host id: set BERTH_HOST_ID or --host-id");
    assertThat(run("--host-id", "Not_Valid")).isEqualTo(2);
    assertThat(dockerHosts).isEmpty();
  }
}
