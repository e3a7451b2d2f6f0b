package io.berth.worker.it;

import io.berth.worker.cli.EventsCommand;
import io.berth.worker.cli.PreflightCommand;
import io.berth.worker.cli.StatusCommand;
import io.berth.worker.cli.events.AmqpEventFeed;
import io.berth.worker.cli.preflight.Preflight;
import io.berth.worker.cli.preflight.PreflightProbes;
import io.berth.worker.coordination.EtcdFleetReader;
import io.berth.worker.docker.DockerJavaInventory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** The CLI's commands run in this JVM as an operator runs them, with an environment of the test's making. */
final class Cli {
  private Cli() {}

  /** What a command printed and returned. */
  record Result(int exitCode, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }

    /** The line of a preflight check with that status, e.g. {@code line("FAIL", "parent")}. */
    String line(String status, String check) {
      return lines().stream().filter(l -> l.matches("^" + status + " +" + java.util.regex.Pattern.quote(check) + " .*"))
          .findFirst().orElseThrow(() -> new AssertionError("no " + status + " " + check + " line in:\n" + out));
    }
  }

  static Result preflight(Map<String, String> env) {
    return run(new PreflightCommand(env, PreflightProbes.system(), Preflight.standard()));
  }

  static Result status(Map<String, String> env, String... args) {
    return run(new StatusCommand(env, DockerJavaInventory::connect, EtcdFleetReader::connect, Clock.systemUTC()),
        args);
  }

  static EventsCommand events(Map<String, String> env) {
    return new EventsCommand(env, AmqpEventFeed::new);
  }

  static Result run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
