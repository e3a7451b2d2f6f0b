package io.berth.worker.docker;

/** A network of the configured name exists with other settings; using it silently could put WCS on the wrong LAN. */
public class NetworkConflictException extends RuntimeException {
  public NetworkConflictException(String message) {
    super(message);
  }
}
