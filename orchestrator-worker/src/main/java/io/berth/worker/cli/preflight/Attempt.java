package io.berth.worker.cli.preflight;

import java.util.Objects;

/**
 * A resource several checks share (a Docker client, a broker connection), or why it could not be had. The check
 * that owns the resource reports the problem; the others skip, naming it.
 */
public record Attempt<T>(T value, String problem) {

  public static <T> Attempt<T> of(T value) {
    return new Attempt<>(Objects.requireNonNull(value, "value"), null);
  }

  public static <T> Attempt<T> failed(String problem) {
    return new Attempt<>(null, Objects.requireNonNull(problem, "problem"));
  }

  public boolean ok() {
    return problem == null;
  }
}
