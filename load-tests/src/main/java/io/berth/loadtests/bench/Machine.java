package io.berth.loadtests.bench;

import io.berth.worker.it.TestBroker;
import io.berth.worker.it.TestDocker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The facts of the machine and software a run measured, for the report. */
final class Machine {
  private Machine() {}

  static void describe(Results results) {
    results.machine.put("date (UTC)", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    results.machine.put("CPU", Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel());
    results.machine.put("memory", memory());
    results.machine.put("kernel", read("/proc/sys/kernel/osrelease"));
    results.machine.put("Docker Engine", quietly(() -> TestDocker.client().versionCmd().exec().getVersion()));
    results.machine.put("RabbitMQ", quietly(() -> {
      try (var c = TestBroker.connect("berth-bench-version")) {
        return String.valueOf(c.getServerProperties().get("version"));
      }
    }));
    results.machine.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    results.machine.put("commit", git("rev-parse", "--short", "HEAD") + (git("status", "--porcelain").isBlank()
        ? "" : " (with uncommitted changes)"));
    results.machine.put("load average at start", read("/proc/loadavg"));
  }

  static void after(Results results) {
    results.machine.put("load average at end", read("/proc/loadavg"));
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown model");
    } catch (Exception e) {
      return "unknown model";
    }
  }

  private static String memory() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
          .map(l -> Math.round(Long.parseLong(l.replaceAll("[^0-9]", "")) / 1048576.0) + " GiB").findFirst()
          .orElse("unknown");
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static String read(String file) {
    try {
      String s = Files.readString(Path.of(file)).strip();
      return file.endsWith("loadavg") ? String.join(" ", java.util.Arrays.copyOf(s.split(" "), 3)) : s;
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static String git(String... args) {
    try {
      java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("git", "-C",
          Benchmark.checkoutRoot().toString()));
      command.addAll(java.util.List.of(args));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      return p.waitFor() == 0 ? out : "unknown";
    } catch (Exception e) {
      return "unknown";
    }
  }

  private interface Fact {
    String get() throws Exception;
  }

  private static String quietly(Fact fact) {
    try {
      return fact.get();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
