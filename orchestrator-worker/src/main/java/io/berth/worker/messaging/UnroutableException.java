package io.berth.worker.messaging;

/** The broker confirmed the publish but no queue was bound for it: {@code mandatory} made that visible. */
public class UnroutableException extends PublishFailedException {
  public UnroutableException(String message) {
    super(message);
  }
}
