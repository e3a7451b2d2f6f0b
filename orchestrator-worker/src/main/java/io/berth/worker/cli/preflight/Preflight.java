package io.berth.worker.cli.preflight;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Runs the checks in order and puts their lines together; one check's surprise never stops the others. */
public final class Preflight {
  private final List<Check> checks;

  public Preflight(List<Check> checks) {
    this.checks = List.copyOf(checks);
  }

  /** Every check, in the order an operator fixes things: the host first, then the broker, then the fleet. */
  public static Preflight standard() {
    return new Preflight(List.of(new ConfigCheck(), new DockerCheck(), new ParentCheck(), new DriverProbeCheck(),
        new AddressPlanCheck(), new NetworkCheck(), new OverlapCheck(), new ImageCheck(), new SecretsCheck(),
        new StateDirCheck(), new BrokerCheck(), new TopologyCheck(), new ConsumerTimeoutCheck(), new EtcdCheck(),
        new FleetPlanCheck()));
  }

  public List<CheckResult> run(PreflightContext context) {
    List<CheckResult> results = new ArrayList<>();
    for (Check check : checks) {
      try {
        results.addAll(check.run(context));
      } catch (Exception e) {
        results.add(CheckResult.fail(check.name(), "the check itself failed: " + e,
            "run it again; if it persists, report it with this line"));
      }
    }
    return results;
  }

  /** 1 when anything failed, else 0: warnings and skips do not fail a run (a skip follows a reported failure). */
  public static int exitCode(List<CheckResult> results) {
    return results.stream().anyMatch(r -> r.status() == CheckStatus.FAIL) ? 1 : 0;
  }

  /** One line per result, {@code STATUS  check  detail. Fix: ...}, aligned; then a summary line. */
  public static List<String> render(List<CheckResult> results) {
    int width = results.stream().mapToInt(r -> r.check().length()).max().orElse(0);
    List<String> lines = new ArrayList<>();
    for (CheckResult r : results) {
      StringBuilder line = new StringBuilder(String.format("%-4s  %-" + width + "s  %s", r.status(), r.check(),
          r.detail()));
      if (!r.fix().isEmpty()) {
        line.append(". Fix: ").append(r.fix());
      }
      lines.add(line.toString());
    }
    Map<CheckStatus, Long> counts = results.stream()
        .collect(Collectors.groupingBy(CheckResult::status, Collectors.counting()));
    lines.add("preflight: " + Arrays.stream(CheckStatus.values()).filter(counts::containsKey)
        .map(s -> counts.get(s) + " " + s).collect(Collectors.joining(", "))
        + (exitCode(results) == 0 ? "" : ": fix the FAIL lines before starting the worker"));
    return lines;
  }
}
