package io.berth.worker.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The worker logs to stdout; the other commands print their own output there (tables, JSON lines), which the
 * libraries' log lines (the AMQP client's connection warnings, docker-java, gRPC) would spoil. Their problems reach
 * the user through the commands' own messages instead. Closing restores the levels: a command run inside another
 * program (the integration tests run them beside workers) must not silence it for good.
 */
final class CliLogging implements AutoCloseable {
  private final Map<Logger, Level> before;

  private CliLogging(Map<Logger, Level> before) {
    this.before = before;
  }

  /**
   * Every configured logger off, not only the root: logback.xml gives some libraries levels of their own, which a
   * root level does not override. Loggers created meanwhile inherit OFF from these.
   */
  static CliLogging quiet() {
    Map<Logger, Level> before = new HashMap<>();
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      for (Logger logger : context.getLoggerList()) {
        before.put(logger, logger.getLevel());
        logger.setLevel(Level.OFF);
      }
    }
    return new CliLogging(before);
  }

  @Override
  public void close() {
    before.forEach(Logger::setLevel); // null for loggers that inherited: they inherit again
  }
}
