package io.berth.worker.failure;

/** A permanent, explained refusal raised by Berth's own rules (policy, capacity of the range, readiness, conflicts). */
public class ProvisioningException extends RuntimeException {
  private final String code;
  private final boolean retriable;

  public ProvisioningException(String code, String message, boolean retriable) {
    super(message);
    this.code = code;
    this.retriable = retriable;
  }

  public String code() {
    return code;
  }

  public boolean retriable() {
    return retriable;
  }
}
