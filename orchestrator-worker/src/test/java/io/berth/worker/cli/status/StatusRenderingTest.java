package io.berth.worker.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.worker.coordination.FleetNetwork;
import io.berth.worker.coordination.FleetSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusRenderingTest {
  static final Instant NOW = Instant.parse("2026-11-24T18:00:00Z");

  static FakeInventory engine() {
    return new FakeInventory()
        .add("host-a", "acme", "tc-0002", "room-42", "192.0.2.66", "running", NOW.minusSeconds(300),
            NOW.minusSeconds(302), null, true)
        .add("host-a", "acme", "tc-0001", "room-42", "192.0.2.65", "running", NOW.minusSeconds(3 * 3600 + 720), null,
            null, false)
        .add("host-a", "globex", "tc-9", "lobby", "192.0.2.67", "exited", NOW.minusSeconds(4000),
            NOW.minusSeconds(120), 137, false)
        .add("host-b", "acme", "tc-0003", "room-42", "192.0.2.68", "running", NOW, null, null, false);
  }

  static FleetSnapshot fleet() {
    return new FleetSnapshot("/berth",
        List.of(new FleetSnapshot.Member("host-a", "node1/3fa2c0d1e9b7", NOW.minusSeconds(7200), 8),
            new FleetSnapshot.Member("host-b", "node2/77aa01bc3d4e", NOW.minusSeconds(600), -1)),
        List.of(new FleetSnapshot.Placement("acme", "tc-0001", "room-42", "192.0.2.65", "host-a", "host-a", true, false,
                false),
            new FleetSnapshot.Placement("acme", "tc-0002", "room-42", "192.0.2.66", "host-b", "host-c", true, false,
                false),
            new FleetSnapshot.Placement("globex", "tc-9", "lobby", "192.0.2.67", null, "host-c", true, true, true),
            new FleetSnapshot.Placement("initech", "tx-7", null, null, "host-a", null, false, false, false)),
        Optional.of(new FleetNetwork("192.0.2.0/24", "192.0.2.1", "192.0.2.64/26", "host-a", NOW)));
  }

  @Test
  void thisHostsTranscodersFromDockerAlone() {
    HostStatus host = HostStatus.read(engine(), "host-a", "unix:///var/run/docker.sock");
    assertThat(host.transcoders()).extracting(TranscoderStatus::transcoderId)
        .as("sorted by tenant, then transcoder").containsExactly("tc-0001", "tc-0002", "tc-9");
    assertThat(host.otherHostIds()).containsExactly("host-b");

    List<String> lines = StatusText.render(new StatusReport(NOW, Optional.of(host), Optional.empty(), List.of()));
    assertThat(lines).containsExactly(
        "host host-a (Docker unix:///var/run/docker.sock): 3 transcoders",
        "TENANT  TRANSCODER  ROOM     ADDRESS     STATE    UPTIME  LAST EXIT",
        "acme    tc-0001     room-42  192.0.2.65  running  3h12m   -",
        "acme    tc-0002     room-42  192.0.2.66  running  5m      5m2s ago, OOM-killed",
        "globex  tc-9        lobby    192.0.2.67  exited   -       2m ago, exit 137",
        "(this Docker engine also runs Berth containers of host-b: --host-id shows them)");
  }

  @Test
  void aContainerGoneBetweenListAndInspectIsLeftOut() {
    FakeInventory engine = engine();
    engine.inspected.remove("id-acme-tc-0001");
    assertThat(HostStatus.read(engine, "host-a", "x").transcoders()).extracting(TranscoderStatus::transcoderId)
        .containsExactly("tc-0002", "tc-9");
  }

  @Test
  void theFleetsHostsAndWhereEachTranscoderRuns() {
    List<String> lines = StatusText.render(new StatusReport(NOW, Optional.empty(), Optional.of(fleet()), List.of()));
    assertThat(lines).containsExactly(
        "fleet /berth: 2 live hosts, 4 transcoders, range 192.0.2.64/26 (subnet 192.0.2.0/24)",
        "HOST    ENGINE              JOINED   LEASE LEFT  HOLDS",
        "host-a  node1/3fa2c0d1e9b7  2h ago   8s          2",
        "host-b  node2/77aa01bc3d4e  10m ago  -           1",
        "",
        "TENANT   TRANSCODER  ROOM     ADDRESS     HOST    STATE    NOTE",
        "acme     tc-0001     room-42  192.0.2.65  host-a  held     -",
        "acme     tc-0002     room-42  192.0.2.66  host-b  held     last started on host-c",
        "globex   tc-9        lobby    192.0.2.67  -       orphan   last started on host-c; crash-looped; tenant"
            + " suspended",
        "initech  tx-7        -        -           host-a  claimed  -");
  }

  @Test
  void jsonHasEveryFieldAlwaysWithSecondsAndRfc3339Times() throws Exception {
    HostStatus host = HostStatus.read(engine(), "host-a", "unix:///var/run/docker.sock");
    JsonNode json = new ObjectMapper().readTree(StatusJson.render(new StatusReport(NOW, Optional.of(host),
        Optional.of(fleet()), List.of("etcd: slow"))));

    assertThat(json.path("at").asText()).isEqualTo("2026-11-24T18:00:00Z");
    JsonNode first = json.path("host").path("transcoders").get(0);
    assertThat(first.path("uptimeSeconds").asLong()).isEqualTo(3 * 3600 + 720);
    assertThat(first.has("lastExitCode")).isTrue();
    assertThat(first.path("lastExitCode").isNull()).isTrue();
    JsonNode exited = json.path("host").path("transcoders").get(2);
    assertThat(exited.path("lastExitCode").asInt()).isEqualTo(137);
    assertThat(exited.path("uptimeSeconds").isNull()).isTrue();
    assertThat(exited.path("lastExitAt").asText()).isEqualTo("2026-11-24T17:58:00Z");
    assertThat(json.path("host").path("otherHostIdsOnEngine").get(0).asText()).isEqualTo("host-b");
    assertThat(json.path("fleet").path("hosts").get(0).path("holds").asInt()).isEqualTo(2);
    assertThat(json.path("fleet").path("hosts").get(1).path("leaseSecondsLeft").isNull()).isTrue();
    assertThat(json.path("fleet").path("transcoders").get(2).path("state").asText()).isEqualTo("orphan");
    assertThat(json.path("fleet").path("network").path("ipRange").asText()).isEqualTo("192.0.2.64/26");
    assertThat(json.path("problems").get(0).asText()).isEqualTo("etcd: slow");
  }
}
