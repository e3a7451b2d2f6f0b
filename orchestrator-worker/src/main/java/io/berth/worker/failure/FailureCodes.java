package io.berth.worker.failure;

/** The {@code code} values of ProvisioningFailed and dead-letter reasons; documented in docs/worker.md. */
public final class FailureCodes {
  private FailureCodes() {}

  public static final String DOCKER_UNAVAILABLE = "docker-unavailable";
  /** Transient only: the broker connection or channel is gone, or it did not take a publish; never a command's fate. */
  public static final String BROKER_UNAVAILABLE = "broker-unavailable";
  public static final String DOCKER_ERROR = "docker-error";
  public static final String DOCKER_REJECTED = "docker-rejected";
  public static final String IMAGE_NOT_ALLOWED = "image-not-allowed";
  public static final String IMAGE_UNKNOWN = "image-unknown";
  public static final String RESOURCES_NOT_ALLOWED = "resources-not-allowed";
  public static final String KERNEL_UNSUPPORTED = "kernel-unsupported";
  public static final String NETWORK_CONFLICT = "network-conflict";
  public static final String IP_RANGE_EXHAUSTED = "ip-range-exhausted";
  public static final String ADDRESS_CONFLICT = "address-conflict";
  public static final String NAME_CONFLICT = "name-conflict";
  public static final String READINESS_TIMEOUT = "readiness-timeout";
  public static final String TENANT_SUSPENDED = "tenant-suspended";
  public static final String CANCELLED = "cancelled";
  public static final String COORDINATION_UNAVAILABLE = "coordination-unavailable";
  public static final String INTERNAL_ERROR = "internal-error";
}
