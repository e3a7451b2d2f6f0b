package io.berth.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class CliLoggingTest {

  @Test
  void librariesWithLevelsOfTheirOwnAreQuietToOnlyWhileACommandRuns() {
    org.slf4j.Logger amqp = LoggerFactory.getLogger("com.rabbitmq.client.impl.ForgivingExceptionHandler");
    org.slf4j.Logger worker = LoggerFactory.getLogger("io.berth.worker.SomethingNew");
    assertThat(amqp.isWarnEnabled()).as("logback.xml: com.rabbitmq at WARN").isTrue();

    try (CliLogging quiet = CliLogging.quiet()) {
      assertThat(amqp.isErrorEnabled()).isFalse();
      assertThat(worker.isErrorEnabled()).isFalse();
      assertThat(LoggerFactory.getLogger("created.meanwhile").isErrorEnabled()).isFalse();
    }

    assertThat(amqp.isWarnEnabled()).isTrue();
    assertThat(amqp.isInfoEnabled()).isFalse();
    assertThat(worker.isInfoEnabled()).isTrue();
  }
}
