package io.berth.worker.cli;

import io.berth.worker.cli.preflight.CheckResult;
import io.berth.worker.cli.preflight.Preflight;
import io.berth.worker.cli.preflight.PreflightContext;
import io.berth.worker.cli.preflight.PreflightEnv;
import io.berth.worker.cli.preflight.PreflightProbes;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Checks, before the worker starts, everything people lose hours to: Docker, the parent interface, the kernel's
 * driver, the address plan, the broker and its topology, images, secrets and the fleet. Reads the worker's own
 * environment variables.
 */
@Command(name = "preflight", mixinStandardHelpOptions = true, version = "berth 0.1.0",
    description = "Check this host, the broker and (fleet) etcd for the worker as configured (BERTH_* env): one line"
        + " per check, the fix for each failure; exit 1 when anything fails.")
public final class PreflightCommand implements Callable<Integer> {
  private final Map<String, String> env;
  private final PreflightProbes probes;
  private final Preflight preflight;

  @Spec
  CommandSpec spec;

  public PreflightCommand() {
    this(System.getenv(), PreflightProbes.system(), Preflight.standard());
  }

  /** For tests and embedding: another environment, other probes, other checks. */
  public PreflightCommand(Map<String, String> env, PreflightProbes probes, Preflight preflight) {
    this.env = env;
    this.probes = probes;
    this.preflight = preflight;
  }

  @Override
  public Integer call() {
    List<CheckResult> results;
    try (CliLogging quiet = CliLogging.quiet();
         PreflightContext context = new PreflightContext(new PreflightEnv(env), probes)) {
      results = preflight.run(context);
    }
    PrintWriter out = spec.commandLine().getOut();
    Preflight.render(results).forEach(out::println);
    out.flush();
    return Preflight.exitCode(results);
  }
}
