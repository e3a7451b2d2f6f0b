package io.berth.worker.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs host commands (ip, ip netns) for the test network; output and exit code come back together. */
public final class Shell {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private Shell() {}

  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  public static Result run(String... command) {
    return run(DEFAULT_TIMEOUT, List.of(command));
  }

  public static Result run(Duration timeout, List<String> command) {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(-1, e.toString());
    }
    // read while it runs: a full pipe would block a chatty command until the timeout
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        return e.toString();
      }
    });
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out after " + timeout + ": " + String.join(" ", command));
      }
      // a daemon the command left running may still hold the pipe: do not wait for it forever
      return new Result(p.exitValue(), output.get(10, TimeUnit.SECONDS));
    } catch (TimeoutException | ExecutionException e) {
      return new Result(p.exitValue(), "(output not readable: " + e + ")");
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  public static String must(String... command) {
    return must(DEFAULT_TIMEOUT, List.of(command));
  }

  public static String must(Duration timeout, List<String> command) {
    Result r = run(timeout, command);
    if (!r.ok()) {
      throw new IllegalStateException(String.join(" ", command) + " failed (" + r.exitCode() + "): " + r.output());
    }
    return r.output();
  }
}
