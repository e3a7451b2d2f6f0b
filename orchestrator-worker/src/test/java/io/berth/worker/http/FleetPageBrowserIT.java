package io.berth.worker.http;

import static io.berth.worker.http.PageDom.attribute;
import static io.berth.worker.http.PageDom.cells;
import static io.berth.worker.http.PageDom.openingTag;
import static io.berth.worker.http.PageDom.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.worker.cli.status.HostStatus;
import io.berth.worker.cli.status.TranscoderStatus;
import io.berth.worker.provisioning.TranscoderKey;
import io.berth.worker.supervision.CrashTracker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fleet page in a real browser (Debian's {@code chromium}, headless), against the real server on a free loopback
 * port with a made-up view of what the worker holds: no Docker, no broker. Chromium runs the page's script under a
 * virtual time budget and dumps the DOM it ended with: the page loads, lists every transcoder with its host, state,
 * uptime and restarts, highlights the crashed ones, links each address to its WCS admin, shows hostile text as text,
 * and — within one page load, refreshing by itself — follows a change in what the worker holds.
 *
 * <p>An IT because it needs Chromium: {@code scripts/setup-infra.sh} installs it. Without it the test is skipped,
 * saying so.
 */
class FleetPageBrowserIT {
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  private static final String HOSTILE_ROOM = "<img src=x onerror=\"document.title='pwned'\">&lobby";
  private static HeadlessChromium chromium;

  private ObservabilityServer server;
  private final AtomicInteger asked = new AtomicInteger();

  @BeforeAll
  static void findChromium() {
    chromium = HeadlessChromium.find().orElse(null);
    assumeTrue(chromium != null, HeadlessChromium.MISSING);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Three transcoders as the assembler makes them: one running, one exited by the OOM killer, one hostile. */
  private static TranscoderView before() {
    return assemble(Map.of(new TranscoderKey("acme", "tx-2"), new CrashTracker.Memory(3, NOW.minusSeconds(40))),
        new TranscoderStatus("acme", "tx-1", "room-1", "192.0.2.70", "running", "berth-acme-tx-1", "a1",
            NOW.minus(Duration.ofMinutes(95)), null, null, false),
        new TranscoderStatus("acme", "tx-2", "room-1", "192.0.2.71", "exited", "berth-acme-tx-2", "a2",
            NOW.minusSeconds(100), NOW.minusSeconds(40), 137, true),
        new TranscoderStatus("evil", "tx-3", HOSTILE_ROOM, "javascript:document.title='pwned'", "running",
            "berth-evil-tx-3", "a3", NOW.minusSeconds(5), null, null, false));
  }

  /** Later: tx-1 released, tx-2 back up, tx-4 requested. */
  private static TranscoderView after() {
    return assemble(Map.of(new TranscoderKey("acme", "tx-2"), new CrashTracker.Memory(4, NOW.minus(Duration.ofHours(1)))),
        new TranscoderStatus("acme", "tx-2", "room-1", "192.0.2.71", "running", "berth-acme-tx-2", "a2",
            NOW.minusSeconds(20), NOW.minusSeconds(25), null, false),
        new TranscoderStatus("acme", "tx-4", "room-2", "192.0.2.72", "running", "berth-acme-tx-4", "a4",
            NOW.minusSeconds(3), null, null, false));
  }

  private static TranscoderView assemble(Map<TranscoderKey, CrashTracker.Memory> memory, TranscoderStatus... rows) {
    return new TranscoderViewAssembler("h1", false, NOW.minus(Duration.ofHours(2)),
        k -> Optional.ofNullable(memory.get(k)),
        Optional.of(new TranscoderViewAssembler.LocalIntents(k -> false, t -> false)))
        .assemble(NOW, Optional.of(new HostStatus("h1", "unix:///var/run/docker.sock", List.of(rows), new TreeSet<>())),
            Optional.empty(), List.of());
  }

  private void serve(Supplier<TranscoderView> views) throws IOException {
    server = ObservabilityServer.start(0, () -> true, List::of, () -> "", Optional.of(() -> {
      asked.incrementAndGet();
      return views.get();
    }));
  }

  @Test
  void listsWhatTheWorkerHoldsHighlightsTheCrashedAndLinksEachAddressToItsAdmin() throws Exception {
    TranscoderView view = before();
    serve(() -> view);

    String dom = dumpDom(Duration.ofSeconds(2));

    assertThat(dom).contains("host h1");
    String tx1 = row(dom, "acme/tx-1");
    assertThat(cells(tx1)).containsExactly("acme", "tx-1", "room-1", "192.0.2.70", "h1", "running", "1h35m", "0", "–",
        "–");
    assertThat(openingTag(tx1)).doesNotContain("alert");
    assertThat(tx1).contains("<a href=\"https://192.0.2.70:8444/\" target=\"_blank\" rel=\"noopener noreferrer\"");

    String tx2 = row(dom, "acme/tx-2");
    assertThat(openingTag(tx2)).contains("alert");
    assertThat(cells(tx2)).containsExactly("acme", "tx-2", "room-1", "192.0.2.71", "h1", "exited", "–", "3", "40s ago",
        "exited with code 137, OOM-killed");
    assertThat(tx2).contains("href=\"https://192.0.2.71:8444/\"");

    String tx3 = row(dom, "evil/tx-3");
    assertThat(tx3).contains("&lt;img src=x onerror=\"document.title='pwned'\"&gt;&amp;lobby")
        .doesNotContain("<img").doesNotContain("<a ");
    assertThat(dom).doesNotContain("pwned</title>").doesNotContain("href=\"javascript");
    assertThat(dom).contains("counted by the worker on h1 in memory since it started (2026-11-25T08:00:00Z)");

    screenshot(); // for people reviewing the page; not asserted
  }

  @Test
  void followsAChangeWithoutBeingReloaded() throws Exception {
    TranscoderView before = before();
    TranscoderView after = after();
    serve(() -> asked.get() <= 1 ? before : after);

    String dom = dumpDom(Duration.ofSeconds(8)); // one page load; the page fetches again every 3 s of virtual time

    assertThat(asked.get()).as("the page asked again by itself").isGreaterThanOrEqualTo(2);
    assertThat(Integer.parseInt(attribute(dom, "data-refreshes"))).isGreaterThanOrEqualTo(2);
    assertThat(dom).doesNotContain("data-key=\"acme/tx-1\"").doesNotContain("data-key=\"evil/tx-3\"");
    assertThat(openingTag(row(dom, "acme/tx-2"))).doesNotContain("alert"); // its crash was an hour ago
    assertThat(cells(row(dom, "acme/tx-2"))).containsExactly("acme", "tx-2", "room-1", "192.0.2.71", "h1", "running",
        "20s", "4", "1h ago", "–");
    assertThat(cells(row(dom, "acme/tx-4"))).startsWith("acme", "tx-4", "room-2", "192.0.2.72", "h1", "running");
  }

  @Test
  void saysSoWhenTheWorkerStopsAnswering() throws Exception {
    TranscoderView view = before();
    serve(() -> {
      if (asked.get() > 1) {
        throw new IllegalStateException("gone"); // a 500, as when the view cannot be made
      }
      return view;
    });

    String dom = dumpDom(Duration.ofSeconds(5));

    assertThat(dom).contains("cannot reach the worker (HTTP 500); showing what it said last");
    assertThat(dom).contains("data-key=\"acme/tx-1\""); // what it said last stays
  }

  private String url() {
    return "http://127.0.0.1:" + server.port() + "/";
  }

  private String dumpDom(Duration budget) throws Exception {
    return chromium.dumpDom(url(), budget);
  }

  /** For people reviewing the page: {@code target/fleet-page.png}. */
  private void screenshot() throws Exception {
    chromium.screenshot(url(), Path.of("target", "fleet-page.png"));
  }
}
