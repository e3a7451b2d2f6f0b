package io.berth.worker.cli.preflight;

import java.time.Duration;
import java.util.List;

/** Runs a host command ({@code ip}, {@code rabbitmqctl}); a fake in tests. */
public interface CommandRunner {

  /**
   * @param exitCode the command's exit code; {@link #NOT_RUN} when it could not be started (not installed) or did not
   *     finish in time
   * @param output stdout and stderr together, trimmed
   */
  record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  int NOT_RUN = -1;

  Result run(List<String> command, Duration timeout);
}
