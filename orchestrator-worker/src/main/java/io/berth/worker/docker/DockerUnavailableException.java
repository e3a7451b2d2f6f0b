package io.berth.worker.docker;

/** The engine could not be reached (socket gone, connection refused, timeout): always worth waiting for. */
public class DockerUnavailableException extends RuntimeException {
  public DockerUnavailableException(String operation, Throwable cause) {
    super(operation + " failed: Docker engine unreachable (" + cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")", cause);
  }
}
