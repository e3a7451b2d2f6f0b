package io.berth.worker.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EngineVersionTest {

  @Test
  void apiVersionsCompareNumericallyNotAsText() {
    assertThat(new EngineVersion("20.10.24", "1.41").speaks(EngineVersion.MINIMUM_API)).isTrue();
    assertThat(new EngineVersion("24.0.7", "1.43").speaks("1.41")).isTrue();
    assertThat(new EngineVersion("19.03.15", "1.40").speaks("1.41")).isFalse();
    assertThat(new EngineVersion("1.13", "1.9").speaks("1.41")).isFalse(); // "1.9" > "1.41" as text
    assertThat(new EngineVersion("99", "2.0").speaks("1.41")).isTrue();
  }

  @Test
  void anUnreadableApiVersionCountsAsTooOld() {
    assertThat(new EngineVersion("?", "null").speaks("1.41")).isFalse();
  }

  @Test
  void dockersZeroTimeMeansNever() {
    assertThat(DockerJavaInventory.time("0001-01-01T00:00:00Z")).isNull();
    assertThat(DockerJavaInventory.time("")).isNull();
    assertThat(DockerJavaInventory.time("2026-11-24T15:41:14.870123456Z"))
        .isEqualTo(Instant.parse("2026-11-24T15:41:14.870123456Z"));
  }
}
