package io.berth.worker.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DockerJavaGatewayTest {

  @Test
  void exitCodeIsReadFromTheListStatus() {
    assertThat(DockerJavaGateway.exitCodeOf("Exited (42) 3 seconds ago")).isEqualTo(42);
    assertThat(DockerJavaGateway.exitCodeOf("Exited (0) About a minute ago")).isZero();
    assertThat(DockerJavaGateway.exitCodeOf("Up 5 minutes")).isEqualTo(-1);
    assertThat(DockerJavaGateway.exitCodeOf("Created")).isEqualTo(-1);
    assertThat(DockerJavaGateway.exitCodeOf(null)).isEqualTo(-1);
  }
}
