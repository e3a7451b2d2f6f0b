package io.berth.worker.messaging;

/** The broker did not take responsibility for a message (nack, unroutable, channel lost or no confirm in time). */
public class PublishFailedException extends RuntimeException {
  public PublishFailedException(String message) {
    super(message);
  }

  public PublishFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
