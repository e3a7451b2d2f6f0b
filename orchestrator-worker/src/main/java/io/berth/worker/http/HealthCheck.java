package io.berth.worker.http;

import java.util.Objects;

/**
 * One fact readiness depends on, as {@code /health/ready} shows it.
 *
 * @param name stable, for scripts and the {@code check} tag: worker, broker, consumers, docker, breaker, lease
 * @param ok whether this fact allows the worker to be ready
 * @param state a word or two for the operator: {@code connected}, {@code unreachable}, {@code open}, ...
 */
public record HealthCheck(String name, boolean ok, String state) {

  public HealthCheck {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
  }

  static HealthCheck of(String name, boolean ok, String okState, String failedState) {
    return new HealthCheck(name, ok, ok ? okState : failedState);
  }
}
