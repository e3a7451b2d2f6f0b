package io.berth.worker.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the worker decides a new WCS is ready. {@code exec} probes from inside the container because a macvlan/ipvlan
 * parent's own host cannot reach its children without a shim interface; {@code http} connects directly (use it when
 * the host has such a shim, or runs ipvlan l3); {@code none} trusts "running".
 */
public record ReadinessConfig(Mode mode, int port, String path, Duration timeout) {

  public enum Mode { EXEC, HTTP, NONE }

  public ReadinessConfig {
    Objects.requireNonNull(mode, "mode");
    if (port < 1 || port > 65535) {
      throw new ConfigException(EnvNames.READINESS_PORT, "must be 1 to 65535, got " + port);
    }
    if (path == null || !path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == '\'' || c == '"' || c == '\\')) {
      throw new ConfigException(EnvNames.READINESS_PATH, "must be an absolute URL path without spaces or quotes, got '" + path + "'");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new ConfigException(EnvNames.READINESS_TIMEOUT_SECONDS, "must be > 0");
    }
  }
}
