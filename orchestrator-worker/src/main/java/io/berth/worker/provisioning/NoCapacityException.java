package io.berth.worker.provisioning;

/** This host is full: the request goes back to the queue for a host with room. Not a failure of the request. */
public class NoCapacityException extends RuntimeException {
  public NoCapacityException(String message) {
    super(message, null, false, false);
  }
}
