package io.berth.worker.messaging;

/** The broker refused the message (basic.nack), e.g. a full queue with reject-publish overflow. */
public class NackedException extends PublishFailedException {
  public NackedException(String message) {
    super(message);
  }
}
