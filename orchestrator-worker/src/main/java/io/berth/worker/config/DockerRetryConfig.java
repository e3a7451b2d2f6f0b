package io.berth.worker.config;

import java.time.Duration;

/** Backoff for transient Docker errors: exponential from {@code initial} to {@code max}, with jitter. */
public record DockerRetryConfig(int attempts, Duration initial, Duration max) {

  public DockerRetryConfig {
    if (attempts < 1) {
      throw new ConfigException(EnvNames.DOCKER_RETRY_ATTEMPTS, "must be >= 1, got " + attempts);
    }
    if (initial.toMillis() < 1) {
      throw new ConfigException(EnvNames.DOCKER_RETRY_INITIAL_MS, "must be >= 1");
    }
    if (max.compareTo(initial) < 0) {
      throw new ConfigException(EnvNames.DOCKER_RETRY_MAX_MS, "must be >= " + EnvNames.DOCKER_RETRY_INITIAL_MS);
    }
  }
}
