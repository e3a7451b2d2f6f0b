package io.berth.worker.failure;

import java.util.Objects;

/**
 * What went wrong, decided once. TRANSIENT: keep the command and try again when the cause passes. PERMANENT: publish
 * the failure, dead-letter the command with {@code code} as its reason, ack; {@code retriable} tells upstream whether
 * sending the same command later could succeed.
 */
public record Failure(Kind kind, String code, String message, boolean retriable) {

  public enum Kind { TRANSIENT, PERMANENT }

  public Failure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  public boolean isTransient() {
    return kind == Kind.TRANSIENT;
  }

  public static Failure transientFailure(String code, String message) {
    return new Failure(Kind.TRANSIENT, code, message, true);
  }

  public static Failure permanent(String code, String message, boolean retriable) {
    return new Failure(Kind.PERMANENT, code, message, retriable);
  }
}
