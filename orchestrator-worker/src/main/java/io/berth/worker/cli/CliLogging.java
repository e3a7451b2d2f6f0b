package io.berth.worker.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker logs to stdout; the other commands print their own output there (tables, JSON lines), which the
 * libraries' log lines (gRPC, the AMQP client) would spoil. Their problems reach the user through the commands' own
 * messages instead.
 */
final class CliLogging {
  private CliLogging() {}

  static void quiet() {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.OFF);
    }
  }
}
