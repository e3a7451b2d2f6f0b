package io.berth.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.worker.cli.status.HostStatus;
import io.berth.worker.cli.status.TranscoderStatus;
import io.berth.worker.coordination.FleetSnapshot;
import io.berth.worker.provisioning.TranscoderKey;
import io.berth.worker.supervision.CrashTracker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The page's view: how rows are put together and highlighted, and that the JSON carries hostile text inertly. */
class TranscoderViewTest {
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  private static final Instant STARTED = NOW.minus(Duration.ofHours(1));
  private final ObjectMapper json = new ObjectMapper();

  static TranscoderStatus running(String tenant, String transcoder, String address, Instant since) {
    return new TranscoderStatus(tenant, transcoder, "room-1", address, "running", "berth-" + tenant + "-" + transcoder,
        "c0ffee", since, null, null, false);
  }

  static TranscoderStatus exited(String tenant, String transcoder, String address, int code, boolean oom) {
    return new TranscoderStatus(tenant, transcoder, "room-1", address, "exited", "berth-" + tenant + "-" + transcoder,
        "c0ffee", NOW.minusSeconds(600), NOW.minusSeconds(30), code, oom);
  }

  private static HostStatus host(TranscoderStatus... transcoders) {
    return new HostStatus("h1", "unix:///var/run/docker.sock", List.of(transcoders), new TreeSet<>());
  }

  private static TranscoderViewAssembler single(Map<TranscoderKey, CrashTracker.Memory> memory,
      Set<TranscoderKey> crashLooped, Set<String> suspended) {
    return new TranscoderViewAssembler("h1", false, STARTED, k -> Optional.ofNullable(memory.get(k)),
        Optional.of(new TranscoderViewAssembler.LocalIntents(crashLooped::contains, suspended::contains)));
  }

  @Test
  void singleHostRowsCarryStateUptimeRestartsAndTheAdminLink() {
    TranscoderView view = single(Map.of(new TranscoderKey("acme", "tx-1"), new CrashTracker.Memory(2, null)),
        Set.of(), Set.of()).assemble(NOW, Optional.of(host(running("acme", "tx-1", "192.0.2.70", NOW.minusSeconds(95)))),
        Optional.empty(), List.of());

    assertThat(view.mode()).isEqualTo("single");
    assertThat(view.countingSince()).isEqualTo(STARTED);
    assertThat(view.hosts()).containsExactly(new TranscoderView.Host("h1", 1, null, true));
    TranscoderView.Transcoder row = view.transcoders().get(0);
    assertThat(row.hostId()).isEqualTo("h1");
    assertThat(row.here()).isTrue();
    assertThat(row.state()).isEqualTo("running");
    assertThat(row.uptimeSeconds()).isEqualTo(95L);
    assertThat(row.restarts()).isEqualTo(2);
    assertThat(row.adminUrl()).isEqualTo("https://192.0.2.70:8444/");
    assertThat(row.alert()).isNull();
  }

  @Test
  void exitedCrashLoopedAndRecentlyCrashedAreHighlightedASuspendedTenantIsNot() {
    TranscoderKey recent = new TranscoderKey("acme", "tx-recent");
    TranscoderKey old = new TranscoderKey("acme", "tx-old");
    TranscoderKey looped = new TranscoderKey("acme", "tx-looped");
    TranscoderView view = single(Map.of(
            recent, new CrashTracker.Memory(1, NOW.minusSeconds(120)),
            old, new CrashTracker.Memory(1, NOW.minus(Duration.ofMinutes(30)))),
        Set.of(looped), Set.of("paused")).assemble(NOW, Optional.of(host(
            exited("acme", "tx-exited", "192.0.2.71", 137, true),
            running("acme", "tx-recent", "192.0.2.72", NOW.minusSeconds(100)),
            running("acme", "tx-old", "192.0.2.73", NOW.minusSeconds(100)),
            exited("acme", "tx-looped", "192.0.2.74", 1, false),
            exited("paused", "tx-1", "192.0.2.75", 143, false))),
        Optional.empty(), List.of());

    Map<String, TranscoderView.Transcoder> rows = byId(view);
    assertThat(rows.get("acme/tx-exited").alert()).isEqualTo("exited with code 137, OOM-killed");
    assertThat(rows.get("acme/tx-exited").uptimeSeconds()).isNull();
    assertThat(rows.get("acme/tx-recent").alert()).isEqualTo("crashed 2m ago");
    assertThat(rows.get("acme/tx-recent").lastCrashAt()).isEqualTo(NOW.minusSeconds(120));
    assertThat(rows.get("acme/tx-old").alert()).isNull();
    assertThat(rows.get("acme/tx-looped").alert()).isEqualTo("crash-looped: left stopped");
    assertThat(rows.get("paused/tx-1").alert()).isNull();
    assertThat(rows.get("paused/tx-1").note()).isEqualTo("tenant suspended");
    assertThat(rows.get("paused/tx-1").restarts()).isZero(); // nothing seen by this worker: none since it started
  }

  @Test
  void fleetRowsNameTheirHostAndOnlyThisHostsCarryRestartsAndUptime() {
    FleetSnapshot fleet = new FleetSnapshot("/berth",
        List.of(new FleetSnapshot.Member("h1", "e1", NOW.minusSeconds(3600), 9),
            new FleetSnapshot.Member("h2", "e2", NOW.minusSeconds(3600), -1)),
        List.of(new FleetSnapshot.Placement("acme", "tx-1", "room-1", "192.0.2.70", "h1", "h1", true, false, false),
            new FleetSnapshot.Placement("acme", "tx-2", "room-1", "192.0.2.71", "h2", "h1", true, false, false),
            new FleetSnapshot.Placement("acme", "tx-3", "room-1", "192.0.2.72", null, "h2", true, true, false),
            new FleetSnapshot.Placement("acme", "tx-4", "room-2", "192.0.2.73", null, "h2", true, false, false)),
        Optional.empty());
    TranscoderView view = new TranscoderViewAssembler("h1", true, STARTED, k -> Optional.empty(), Optional.empty())
        .assemble(NOW, Optional.of(host(running("acme", "tx-1", "192.0.2.70", NOW.minusSeconds(10)))),
            Optional.of(fleet), List.of());

    assertThat(view.mode()).isEqualTo("fleet");
    assertThat(view.hosts()).containsExactly(new TranscoderView.Host("h1", 1, 9L, true),
        new TranscoderView.Host("h2", 1, null, false));
    Map<String, TranscoderView.Transcoder> rows = byId(view);
    assertThat(rows.get("acme/tx-1").here()).isTrue();
    assertThat(rows.get("acme/tx-1").state()).isEqualTo("running");
    assertThat(rows.get("acme/tx-1").restarts()).isZero();
    TranscoderView.Transcoder remote = rows.get("acme/tx-2");
    assertThat(remote.hostId()).isEqualTo("h2");
    assertThat(remote.state()).isEqualTo("held");
    assertThat(remote.here()).isFalse();
    assertThat(remote.restarts()).isNull();
    assertThat(remote.uptimeSeconds()).isNull();
    assertThat(remote.adminUrl()).isEqualTo("https://192.0.2.71:8444/");
    assertThat(remote.note()).isEqualTo("last started on h1");
    assertThat(rows.get("acme/tx-3").alert()).isEqualTo("crash-looped: left stopped");
    assertThat(rows.get("acme/tx-3").hostId()).isNull();
    assertThat(rows.get("acme/tx-4").state()).isEqualTo("orphan");
    assertThat(rows.get("acme/tx-4").note()).startsWith("no host holds it");
  }

  @Test
  void anAdminLinkOnlyForAWellFormedIpv4WrittenOutFromItsNumbers() {
    assertThat(TranscoderViewAssembler.adminUrl("10.0.0.5")).isEqualTo("https://10.0.0.5:8444/");
    assertThat(TranscoderViewAssembler.adminUrl("010.000.000.005")).isEqualTo("https://10.0.0.5:8444/");
    assertThat(TranscoderViewAssembler.adminUrl("javascript:alert(1)")).isNull();
    assertThat(TranscoderViewAssembler.adminUrl("10.0.0.5/\"><script>")).isNull();
    assertThat(TranscoderViewAssembler.adminUrl("10.0.0.5:80@evil.example")).isNull();
    assertThat(TranscoderViewAssembler.adminUrl("256.0.0.1")).isNull();
    assertThat(TranscoderViewAssembler.adminUrl("")).isNull();
    assertThat(TranscoderViewAssembler.adminUrl(null)).isNull();
  }

  @Test
  void hostileLabelsBecomeInertJsonStringsAndRoundTripUnchanged() throws Exception {
    String room = "</script><img src=x onerror=alert(1)>&'\"\u2028x";
    TranscoderStatus hostile = new TranscoderStatus("<b>t</b>", "tx-1", room, "javascript:alert(1)", "running",
        "n", "id", NOW.minusSeconds(1), null, null, false);
    TranscoderView view = single(Map.of(), Set.of(), Set.of())
        .assemble(NOW, Optional.of(host(hostile)), Optional.empty(), List.of("docker: <oops> & more"));

    String body = TranscoderViewJson.render(view);

    assertThat(body).doesNotContain("<", ">", "&", "'", "\u2028");
    assertThat(body).contains("\\u003C/script\\u003E", "\\u0026", "\\u0027", "\\u2028");
    JsonNode parsed = json.readTree(body);
    JsonNode row = parsed.path("transcoders").get(0);
    assertThat(row.path("roomId").asText()).isEqualTo(room);
    assertThat(row.path("tenantId").asText()).isEqualTo("<b>t</b>");
    assertThat(row.path("address").asText()).isEqualTo("javascript:alert(1)");
    assertThat(row.path("adminUrl").isNull()).isTrue();
    assertThat(parsed.path("problems").get(0).asText()).isEqualTo("docker: <oops> & more");
  }

  @Test
  void theJsonHasEveryFieldAlwaysAndNothingElse() throws Exception {
    TranscoderView view = single(Map.of(), Set.of(), Set.of())
        .assemble(NOW, Optional.of(host(running("acme", "tx-1", "192.0.2.70", NOW.minusSeconds(5)))),
            Optional.empty(), List.of());
    JsonNode parsed = json.readTree(TranscoderViewJson.render(view));

    assertThat(parsed.fieldNames()).toIterable()
        .containsExactly("at", "hostId", "mode", "countingSince", "hosts", "transcoders", "problems");
    assertThat(parsed.path("at").asText()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(parsed.path("transcoders").get(0).fieldNames()).toIterable().containsExactly("tenantId",
        "transcoderId", "roomId", "address", "adminUrl", "hostId", "state", "here", "uptimeSeconds", "restarts",
        "lastCrashAt", "lastExitCode", "oomKilled", "alert", "note");
  }

  private static Map<String, TranscoderView.Transcoder> byId(TranscoderView view) {
    Map<String, TranscoderView.Transcoder> rows = new java.util.LinkedHashMap<>();
    view.transcoders().forEach(t -> rows.put(t.tenantId() + "/" + t.transcoderId(), t));
    return rows;
  }
}
