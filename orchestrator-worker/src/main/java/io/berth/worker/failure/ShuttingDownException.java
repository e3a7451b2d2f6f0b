package io.berth.worker.failure;

/** The worker is stopping: give the command back to the broker instead of finishing it. */
public class ShuttingDownException extends RuntimeException {
  public ShuttingDownException() {
    super("worker is shutting down", null, false, false);
  }
}
