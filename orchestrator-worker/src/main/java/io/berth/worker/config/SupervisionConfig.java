package io.berth.worker.config;

import java.time.Duration;

/**
 * Berth's own restart supervision (Docker's restart policy stays off so every restart is seen and counted).
 *
 * @param initialBackoff delay before the first restart after a crash; doubles per consecutive crash, with jitter
 * @param maxBackoff cap of that delay
 * @param stableAfter a transcoder up this long counts as healthy again: the backoff starts over
 * @param maxRestarts restarts allowed within {@code window}; one more crash is a crash loop
 * @param window the sliding window for {@code maxRestarts}
 * @param reconcileInterval how often Docker's labelled containers are compared with what the worker holds
 * @param heartbeatInterval how often WorkerHeartbeat is published
 */
public record SupervisionConfig(Duration initialBackoff, Duration maxBackoff, Duration stableAfter, int maxRestarts,
    Duration window, Duration reconcileInterval, Duration heartbeatInterval) {

  public SupervisionConfig {
    if (initialBackoff.isNegative()) {
      throw new ConfigException(EnvNames.RESTART_INITIAL_BACKOFF_MS, "must be >= 0");
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new ConfigException(EnvNames.RESTART_MAX_BACKOFF_MS, "must be >= " + EnvNames.RESTART_INITIAL_BACKOFF_MS);
    }
    if (stableAfter.isNegative() || stableAfter.isZero()) {
      throw new ConfigException(EnvNames.RESTART_STABLE_SECONDS, "must be > 0");
    }
    if (maxRestarts < 0) {
      throw new ConfigException(EnvNames.RESTART_MAX, "must be >= 0");
    }
    if (window.isNegative() || window.isZero()) {
      throw new ConfigException(EnvNames.RESTART_WINDOW_SECONDS, "must be > 0");
    }
    if (reconcileInterval.toMillis() < 100) {
      throw new ConfigException(EnvNames.RECONCILE_SECONDS, "must be > 0");
    }
    if (heartbeatInterval.toMillis() < 100) {
      throw new ConfigException(EnvNames.HEARTBEAT_SECONDS, "must be > 0");
    }
  }
}
