package io.berth.loadtests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.worker.it.TestDocker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The benchmark runner end to end at its {@code --quick} size (under two minutes): it must measure every part, write
 * what it promises, and leave nothing behind. Checks that the figures are measured (every request reached its event,
 * one CSV row per command, rates and percentiles above zero), never what they are: speed is the report's business.
 */
class BenchmarkIT {

  @Test
  void quickRunMeasuresEveryPartAndCleansUp(@TempDir Path out) throws Exception {
    Path doc = out.resolve("BENCHMARKS.md");
    Benchmark benchmark = new Benchmark();
    int code = new CommandLine(benchmark).execute("--quick", "--sizes", "3,4", "--out", out.toString(), "--doc",
        doc.toString());

    assertThat(code).as("exit code (2: some command never got its event)").isZero();
    List<String[]> summary = csv(out.resolve("summary.csv"));
    Map<String, String[]> bySeries = summary.stream().collect(Collectors.toMap(r -> r[0] + "/" + r[1] + "/" + r[2],
        r -> r));
    for (String size : List.of("3", "4")) {
      for (String section : List.of("burst", "teardown")) {
        for (String who : List.of("Berth", "raw Docker API", "docker run loop")) {
          String[] row = bySeries.get(section + "/" + who + "/" + size);
          assertThat(row).as(section + " " + who + " " + size).isNotNull();
          assertThat(row[3]).as("every request of " + section + " " + who + " " + size + " timed").isEqualTo(size);
          assertThat(Double.parseDouble(row[5])).as("rate of " + section + " " + who + " " + size).isPositive();
          assertThat(Long.parseLong(row[6])).as("p50 of " + section + " " + who + " " + size).isPositive();
        }
      }
    }
    // One row per request in requests.csv, and as many as each series counted.
    List<String[]> requests = csv(out.resolve("requests.csv"));
    long requested = summary.stream().mapToLong(r -> Long.parseLong(r[3])).sum();
    assertThat(requests).hasSize((int) requested);
    assertThat(requests.stream().filter(r -> r[0].equals("burst") && r[1].equals("Berth"))).hasSize(3 + 4);

    assertThat(bySeries).containsKeys("steady/Berth/5", "control-plane/duplicate requests/20",
        "control-plane/no-op releases/50", "room-close/Berth/6");
    assertThat(Long.parseLong(bySeries.get("room-close/Berth/6")[3])).as("every held transcoder stopped").isEqualTo(6);

    List<String[]> scale = csv(out.resolve("scale.csv"));
    assertThat(scale).extracting(r -> r[0]).containsExactly("3", "6");
    for (String[] row : scale) {
      assertThat(Double.parseDouble(row[1])).as("RSS").isPositive();
      assertThat(Double.parseDouble(row[2])).as("heap").isPositive();
      assertThat(Double.parseDouble(row[3])).as("reconcile pass ms").isPositive();
      assertThat(Long.parseLong(row[4])).as("reconcile passes seen").isGreaterThanOrEqualTo(3);
    }
    assertThat(csv(out.resolve("ports.csv"))).hasSize(3);
    assertThat(csv(out.resolve("docker-calls.csv"))).anySatisfy(r -> assertThat(r[2]).isEqualTo("create"));

    for (String chart : List.of(Charts.BURST_RATE, Charts.BURST_LATENCY, Charts.TEARDOWN_RATE, Charts.CONTROL_PLANE,
        Charts.PORT_RANGES, Charts.SCALE_MEMORY, Charts.SCALE_TIME)) {
      assertThat(out.resolve(chart)).as(chart).isNotEmptyFile();
      assertThat(Arrays.copyOf(Files.readAllBytes(out.resolve(chart)), 4)).as(chart + " is a PNG")
          .isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    }
    String report = Files.readString(doc);
    assertThat(report).contains("## Targets (issue 9)", "load-tests/run-benchmark.sh --quick", "## 1. Provisioning",
        "## 2. Control plane", "## 3. Published port ranges", "## 4. Scale");
    assertThat(report).doesNotContain("NaN");
    assertThat(report).as("the readiness setting and the prefetch the duplicates ran with")
        .contains("| readiness | shim: BERTH_NETWORK_HOST_SHIM=203.0.113.253", "the requests queue's prefetch in effect");

    assertThat(TestDocker.client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(BenchLab.BENCH_LABEL, "true")).exec()).as("containers left").isEmpty();
    assertThat(TestDocker.client().listNetworksCmd().exec()).as("networks left")
        .noneMatch(n -> n.getName().startsWith("berth-test-bench-"));
  }

  /** Rows after the header; the benchmark quotes only fields with commas, which these checks do not split on. */
  private static List<String[]> csv(Path file) throws Exception {
    return Files.readAllLines(file).stream().skip(1)
        .map(l -> l.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1)).map(f -> Arrays.stream(f)
            .map(s -> s.replace("\"", "")).toArray(String[]::new)).toList();
  }
}
