package io.berth.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class BerthCliTest {

  @ParameterizedTest
  @ValueSource(strings = {"worker", "preflight", "status", "events", "publish"})
  void everySubcommandAnswersHelp(String subcommand) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BerthCli()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));

    int exit = cli.execute(subcommand, "--help");

    assertThat(err.toString()).doesNotContain("Unknown option");
    assertThat(exit).isZero();
    assertThat(out.toString()).contains("Usage: berth " + subcommand);
  }

  @Test
  void topLevelHelpListsTheSubcommands() {
    StringWriter out = new StringWriter();
    int exit = new CommandLine(new BerthCli()).setOut(new PrintWriter(out)).execute("--help");
    assertThat(exit).isZero();
    assertThat(out.toString()).contains("worker").contains("publish");
  }
}
