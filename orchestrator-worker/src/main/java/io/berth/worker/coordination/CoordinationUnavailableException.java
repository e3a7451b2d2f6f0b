package io.berth.worker.coordination;

/** The coordination store did not answer in time: transient, the work waits and is retried. */
public final class CoordinationUnavailableException extends RuntimeException {
  public CoordinationUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
