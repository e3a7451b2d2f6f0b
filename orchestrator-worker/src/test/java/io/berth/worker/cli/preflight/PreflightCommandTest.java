package io.berth.worker.cli.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.worker.cli.BerthCli;
import io.berth.worker.cli.PreflightCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code berth preflight} through picocli, with fakes behind every probe: what an operator sees, and the exit code. */
class PreflightCommandTest {

  private static int run(Fakes fakes, StringWriter out) {
    CommandLine cli = new CommandLine(new BerthCli(), new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        if (type == PreflightCommand.class) {
          return type.cast(new PreflightCommand(fakes.env, fakes.probes(), Preflight.standard()));
        }
        return CommandLine.defaultFactory().create(type);
      }
    }).setOut(new PrintWriter(out));
    return cli.execute("preflight");
  }

  @Test
  void aHostInOrderExitsZero() throws Exception {
    StringWriter out = new StringWriter();
    assertThat(run(new Fakes(), out)).isZero();
    assertThat(out.toString()).startsWith("OK    config ").contains("\nOK    kernel ")
        .endsWith("preflight: 14 OK" + System.lineSeparator());
  }

  @Test
  void eachFailureExitsOneWithItsFix() throws Exception {
    Fakes fakes = new Fakes();
    fakes.env.put("BERTH_NETWORK_PARENT", "eth9");
    fakes.docker.images.clear();
    StringWriter out = new StringWriter();

    assertThat(run(fakes, out)).isEqualTo(1);
    assertThat(out.toString())
        .contains("FAIL  parent            no interface named 'eth9' on this host (it has: eth0). Fix: set"
            + " BERTH_NETWORK_PARENT")
        .contains("SKIP  kernel            needs the parent interface eth9 (see parent)")
        .contains("FAIL  image             wcs:5.2 (BERTH_IMAGE) is not present on this host")
        .contains("preflight: 11 OK, 2 FAIL, 1 SKIP: fix the FAIL lines before starting the worker");
  }

  @Test
  void aConfigurationErrorIsReportedAndTheOtherChecksStillRun() throws Exception {
    Fakes fakes = new Fakes();
    fakes.env.put("BERTH_NETWORK_IP_RANGE", "203.0.113.0/26");
    StringWriter out = new StringWriter();

    assertThat(run(fakes, out)).isEqualTo(1);
    assertThat(out.toString())
        .contains("FAIL  config            the worker would refuse to start: BERTH_NETWORK_IP_RANGE: 203.0.113.0/26 is"
            + " outside the subnet 192.0.2.0/24")
        .contains("FAIL  range             range 203.0.113.0/26 is not inside the subnet 192.0.2.0/24")
        .contains("OK    docker ").contains("OK    broker ");
  }
}
