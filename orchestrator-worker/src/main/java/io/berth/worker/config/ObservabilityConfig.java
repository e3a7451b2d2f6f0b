package io.berth.worker.config;

import java.util.Objects;

/**
 * How operators watch the worker: the HTTP port serving {@code /metrics} and {@code /health/*}, and the log format.
 *
 * @param httpPort 1 to 65535, or 0 for no HTTP port at all (nothing listens)
 * @param logFormat what logback writes; logback reads the variable itself, this only refuses a value it would not know
 */
public record ObservabilityConfig(int httpPort, LogFormat logFormat) {
  public static final int DEFAULT_HTTP_PORT = 9464;

  /** The appender names in logback.xml, exactly as {@code BERTH_LOG_FORMAT} must spell them. */
  public enum LogFormat {
    TEXT("text"), JSON("json");

    private final String value;

    LogFormat(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }

    /**
     * Exact spelling only: logback substitutes the raw variable into an appender name, so {@code JSON} or
     * {@code " json"} would find no appender and silence every log line instead of failing.
     */
    public static LogFormat parse(String value) {
      for (LogFormat format : values()) {
        if (format.value.equals(value)) {
          return format;
        }
      }
      throw new IllegalArgumentException("unknown log format");
    }
  }

  public ObservabilityConfig {
    if (httpPort < 0 || httpPort > 65535) {
      throw new ConfigException(EnvNames.HTTP_PORT, "must be 1 to 65535, or 0 for none, got " + httpPort);
    }
    Objects.requireNonNull(logFormat, "logFormat");
  }

  public boolean httpEnabled() {
    return httpPort != 0;
  }
}
