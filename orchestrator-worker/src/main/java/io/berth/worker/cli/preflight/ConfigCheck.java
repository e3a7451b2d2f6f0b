package io.berth.worker.cli.preflight;

import io.berth.worker.config.ConfigException;
import io.berth.worker.config.Ipv4;
import io.berth.worker.config.WorkerConfig;
import java.util.List;

/** The configuration loads as the worker loads it; a refusal names the variable, exactly as the worker would. */
final class ConfigCheck implements Check {

  @Override
  public String name() {
    return "config";
  }

  @Override
  public List<CheckResult> run(PreflightContext context) {
    if (context.config().isPresent()) {
      WorkerConfig c = context.config().get();
      return List.of(CheckResult.ok(name(), "the worker would start with it: host id " + c.hostId() + ", "
          + c.network().driver().dockerName() + " (" + c.network().mode() + ") on " + c.network().parent()
          + ", subnet " + c.network().subnet() + ", gateway " + Ipv4.format(c.network().gateway()) + ", range "
          + c.network().ipRange() + ", " + (c.coordination().fleet()
              ? "fleet at " + c.coordination().etcdPrefix() : "single host")));
    }
    RuntimeException e = context.configError().orElseThrow();
    if (e instanceof ConfigException config) {
      return List.of(CheckResult.fail(name(), "the worker would refuse to start: " + config.getMessage(),
          "correct " + config.variable() + " (README, Configuration); the worker names only the first problem it"
              + " finds, so run preflight again afterwards"));
    }
    return List.of(CheckResult.fail(name(), "the configuration cannot be read: " + e,
        "this is a bug in Berth's configuration loader; please report it with the variables you set (not secrets)"));
  }
}
