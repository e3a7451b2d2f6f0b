package io.berth.worker.cli.preflight;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@link CommandRunner} with {@link ProcessBuilder}. */
public final class ProcessCommandRunner implements CommandRunner {

  @Override
  public Result run(List<String> command, Duration timeout) {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(NOT_RUN, command.get(0) + ": cannot run (" + e.getMessage() + ")");
    }
    // read while it runs: a full pipe would block a chatty command until the timeout
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        return "";
      }
    });
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return new Result(NOT_RUN, command.get(0) + ": no answer within " + timeout.toSeconds() + " s");
      }
      return new Result(process.exitValue(), output.get(5, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(NOT_RUN, command.get(0) + ": interrupted");
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return new Result(process.exitValue(), "");
    }
  }
}
