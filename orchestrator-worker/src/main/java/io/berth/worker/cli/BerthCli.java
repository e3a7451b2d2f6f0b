package io.berth.worker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code berth}: the worker, and the commands operators run beside it. */
@Command(name = "berth", mixinStandardHelpOptions = true, version = "berth 0.1.0",
    description = "Runs WCS media servers as isolated static-IP containers, driven by events.",
    subcommands = {WorkerCommand.class, PreflightCommand.class, StatusCommand.class, EventsCommand.class,
        PublishCommand.class})
public final class BerthCli implements Runnable {

  public static void main(String[] args) {
    // `java -jar orchestrator-worker.jar` with no arguments runs the worker.
    String[] effective = args.length == 0 ? new String[] {"worker"} : args;
    System.exit(new CommandLine(new BerthCli()).execute(effective));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
