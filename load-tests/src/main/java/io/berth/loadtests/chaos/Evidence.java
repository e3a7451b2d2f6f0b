package io.berth.loadtests.chaos;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Logs of worker processes a run killed or stopped: the secrets audit (scenario 8) reads them too. */
final class Evidence {
  private static final List<String> LOGS = new CopyOnWriteArrayList<>();

  private Evidence() {}

  static void addLog(String log) {
    LOGS.add(log);
  }

  static List<String> logs() {
    return List.copyOf(LOGS);
  }
}
