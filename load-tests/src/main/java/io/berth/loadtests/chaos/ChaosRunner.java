package io.berth.loadtests.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runs the chaos scenarios and prints one table row each (docs/RELIABILITY.md has the figures and what each means).
 * Arguments: {@code full} or {@code short}, then scenario names (none: all, in the documented order).
 *
 * <p>{@code mvn -B -q install -DskipTests && BERTH_TEST_AMQP_URI='amqp://guest:guest@127.0.0.1:5672/%2F' mvn -B -q
 * -pl load-tests exec:java -Dexec.mainClass=io.berth.loadtests.chaos.ChaosRunner -Dexec.args="full"}
 */
public final class ChaosRunner {
  private ChaosRunner() {}

  /** Every scenario, in the order of the list. */
  public static List<Scenario> all() {
    return List.of(new BrokerFaults(BrokerFaults.Fault.RESTART), new BrokerFaults(BrokerFaults.Fault.CLOSE_CONNECTIONS),
        new ClusterNodeLoss(), new WorkerKills(), new DockerOutage(), new CrashDuringBrokerOutage(), new FuzzedInput(),
        new HostileCommands(), new SecretsAudit(), new Hardening());
  }

  public static String command(String scenario, Size size) {
    return "`mvn -B -q -pl load-tests exec:java -Dexec.mainClass=io.berth.loadtests.chaos.ChaosRunner -Dexec.args=\""
        + size.name().toLowerCase(Locale.ROOT) + " " + scenario + "\"`";
  }

  public static void main(String[] args) throws Exception {
    Size size = args.length > 0 ? Size.valueOf(args[0].toUpperCase(Locale.ROOT)) : Size.FULL;
    List<String> names = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of();
    List<Scenario> chosen = all().stream().filter(s -> names.isEmpty() || names.contains(s.name())).toList();
    List<String> rows = new ArrayList<>(ChaosResult.tableHeader());
    boolean clean = true;
    for (Scenario scenario : chosen) {
      System.out.printf("[chaos] %s (%s) ...%n", scenario.name(), size);
      long start = System.nanoTime();
      ChaosResult result = scenario.run(size);
      clean &= result.clean();
      rows.add(result.row());
      System.out.printf("[chaos] %s %s in %d s%n%s%n", scenario.name(), result.clean() ? "CLEAN" : "NOT CLEAN",
          (System.nanoTime() - start) / 1_000_000_000L, result.row());
      record(result, size);
    }
    rows.forEach(System.out::println);
    System.exit(clean ? 0 : 1); // the workers' and docker-java's threads are not ours to wait for
  }

  /** Appends a row to target/chaos-results.md (under the directory the run started from). */
  public static void record(ChaosResult result, Size size) throws java.io.IOException {
    Path out = Path.of("target", "chaos-results.md");
    Files.createDirectories(out.getParent());
    if (!Files.exists(out)) {
      Files.write(out, ChaosResult.tableHeader());
    }
    Files.writeString(out, result.row() + " <!-- " + size + " " + LocalDate.now() + " -->\n",
        StandardOpenOption.APPEND);
  }
}
