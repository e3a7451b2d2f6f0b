package io.berth.worker.docker;

import java.util.Locale;

/**
 * Docker answered with an HTTP error. Carries Docker's own message (which never contains our env or secrets) and a few
 * predicates for the situations callers handle specially; deciding transient vs permanent is the classifier's job.
 */
public class DockerCallException extends RuntimeException {
  private final int status;

  public DockerCallException(String operation, int status, String dockerMessage, Throwable cause) {
    super(operation + " failed: HTTP " + status + ": " + clean(dockerMessage), cause);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public boolean isNotFound() {
    return status == 404;
  }

  public boolean isConflict() {
    return status == 409;
  }

  public boolean isAddressInUse() {
    return mentions("address already in use") || mentions("address is already in use");
  }

  public boolean isNoSuchImage() {
    return status == 404 && !isNoSuchNetwork()
        && (mentions("no such image") || mentions("pull access denied") || mentions("not found"));
  }

  /** The network is gone (deleted or pruned behind Berth's back): "network … not found". */
  public boolean isNoSuchNetwork() {
    return status == 404 && mentions("network") && mentions("not found");
  }

  /** The kernel refuses the driver: e.g. "failed to create the ipvlan port: operation not supported". */
  public boolean isDriverUnsupportedByKernel() {
    return (mentions("ipvlan") || mentions("macvlan")) && mentions("operation not supported");
  }

  private boolean mentions(String text) {
    String message = getMessage();
    return message != null && message.toLowerCase(Locale.ROOT).contains(text);
  }

  private static String clean(String message) {
    if (message == null) {
      return "(no message)";
    }
    String oneLine = message.replaceAll("\\s+", " ").trim();
    return oneLine.length() > 500 ? oneLine.substring(0, 500) + "..." : oneLine;
  }
}
