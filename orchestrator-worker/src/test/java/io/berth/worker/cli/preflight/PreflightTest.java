package io.berth.worker.cli.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreflightTest {

  @Test
  void everyStandardCheckPassesOnAHostInOrder() throws Exception {
    Fakes fakes = new Fakes();
    List<CheckResult> results;
    try (PreflightContext context = fakes.context()) {
      results = Preflight.standard().run(context);
    }
    assertThat(results).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(CheckStatus.OK));
    assertThat(results).extracting(CheckResult::check).containsExactly("config", "docker", "parent", "kernel",
        "range", "network", "overlap", "image", "secrets", "secrets", "state-dir", "broker", "topology",
        "consumer-timeout");
    assertThat(Preflight.exitCode(results)).isZero();
    assertThat(fakes.broker.closed).as("the temporary connection is closed").isTrue();
  }

  @Test
  void aCheckThatThrowsIsAFailureOfItsOwnAndTheOthersRun() {
    Check broken = new Check() {
      @Override
      public String name() {
        return "broken";
      }

      @Override
      public List<CheckResult> run(PreflightContext context) {
        throw new IllegalStateException("surprise");
      }
    };
    Check fine = new Check() {
      @Override
      public String name() {
        return "fine";
      }

      @Override
      public List<CheckResult> run(PreflightContext context) {
        return List.of(CheckResult.ok("fine", "all good"));
      }
    };
    List<CheckResult> results = new Preflight(List.of(broken, fine)).run(null);
    assertThat(results).extracting(CheckResult::status).containsExactly(CheckStatus.FAIL, CheckStatus.OK);
    assertThat(results.get(0).detail()).isEqualTo("the check itself failed: java.lang.IllegalStateException: surprise");
    assertThat(Preflight.exitCode(results)).isEqualTo(1);
  }

  @Test
  void linesAreAlignedAndEndInASummary() {
    List<String> lines = Preflight.render(List.of(
        CheckResult.ok("docker", "Docker answers"),
        CheckResult.fail("consumer-timeout", "too short", "raise it"),
        CheckResult.warn("secrets", "readable by all", "chmod 400 it"),
        CheckResult.skip("topology", "needs the broker")));
    assertThat(lines).containsExactly(
        "OK    docker            Docker answers",
        "FAIL  consumer-timeout  too short. Fix: raise it",
        "WARN  secrets           readable by all. Fix: chmod 400 it",
        "SKIP  topology          needs the broker",
        "preflight: 1 OK, 1 WARN, 1 FAIL, 1 SKIP: fix the FAIL lines before starting the worker");
    assertThat(Preflight.exitCode(List.of(CheckResult.warn("a", "b", "c"), CheckResult.skip("d", "e")))).isZero();
  }
}
