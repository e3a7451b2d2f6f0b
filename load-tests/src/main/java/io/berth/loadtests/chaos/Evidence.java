package io.berth.loadtests.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Logs of worker processes a run killed or stopped: the secrets audit (scenario 8) reads them, and each is also kept
 * in {@code target/chaos-logs/} so a result that is not clean can be traced afterwards.
 */
final class Evidence {
  private static final List<String> LOGS = new CopyOnWriteArrayList<>();
  private static final Path DIR = Path.of("target", "chaos-logs");

  private Evidence() {}

  static void addLog(String name, String log) {
    LOGS.add(log);
    try {
      Files.createDirectories(DIR);
      Files.writeString(DIR.resolve(name + "-" + LOGS.size() + ".log"), log);
    } catch (IOException e) {
      System.err.println("chaos: worker log not kept: " + e.getMessage());
    }
  }

  static List<String> logs() {
    return List.copyOf(LOGS);
  }
}
