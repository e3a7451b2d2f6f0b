package io.berth.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium}, headless, one fresh profile per run, nothing phoning home: loads a page, lets its
 * script run for a budget of virtual time (timers fire at once, fetches complete), and dumps the DOM it ended with or
 * takes a screenshot. For the fleet page's browser tests.
 */
public final class HeadlessChromium {
  /** What a test that needs Chromium and finds none says when it skips. */
  public static final String MISSING = "Chromium is not installed (apt-get install -y chromium; scripts/setup-infra.sh"
      + " installs it, or set BERTH_CHROMIUM): the fleet page was NOT checked in a browser";

  private final String executable;

  private HeadlessChromium(String executable) {
    this.executable = executable;
  }

  /** {@code $BERTH_CHROMIUM}, else {@code chromium} or {@code chromium-browser} on the PATH. */
  public static Optional<HeadlessChromium> find() {
    return Stream.of(Optional.ofNullable(System.getenv("BERTH_CHROMIUM")).orElse(""), "chromium", "chromium-browser")
        .filter(name -> !name.isEmpty()).map(HeadlessChromium::onPath).flatMap(Optional::stream).findFirst()
        .map(HeadlessChromium::new);
  }

  /** The DOM once the page's script has run for {@code budget} of virtual time, in one page load. */
  public String dumpDom(String url, Duration budget) throws Exception {
    return run(List.of("--virtual-time-budget=" + budget.toMillis(), "--dump-dom", url));
  }

  public void screenshot(String url, Path png) throws Exception {
    run(List.of("--virtual-time-budget=2000", "--window-size=1400,520", "--screenshot=" + png.toAbsolutePath(), url));
  }

  private String run(List<String> args) throws Exception {
    Path profile = Files.createTempDirectory("berth-chromium-");
    List<String> command = new ArrayList<>(List.of(executable, "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile));
    command.addAll(args);
    Path log = Files.createTempFile("berth-chromium-", ".log");
    try {
      Process chrome = new ProcessBuilder(command).redirectError(log.toFile()).start();
      chrome.getOutputStream().close();
      byte[] out = chrome.getInputStream().readAllBytes(); // ends when Chromium exits
      if (!chrome.waitFor(60, TimeUnit.SECONDS)) {
        chrome.destroyForcibly();
        throw new AssertionError("chromium did not finish within 60 s: " + Files.readString(log));
      }
      assertThat(chrome.exitValue()).as("chromium's exit code; its log:%n%s", Files.readString(log)).isZero();
      return new String(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(log);
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private static Optional<String> onPath(String name) {
    if (name.contains("/")) {
      return Files.isExecutable(Path.of(name)) ? Optional.of(name) : Optional.empty();
    }
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).map(Path::toString).findFirst();
  }
}
