package io.berth.worker.provisioning;

import io.berth.events.Resources;
import io.berth.events.RoomDemandChanged;
import io.berth.events.TranscoderRequested;
import io.berth.worker.config.ConfigException;
import io.berth.worker.config.EnvNames;
import io.berth.worker.config.WorkerConfig;
import io.berth.worker.failure.FailureCodes;
import io.berth.worker.failure.ProvisioningException;

/**
 * Rules a request (or a room demand) must pass before any Docker call: allowed image, resources within the contract's floor and this
 * host's ceiling. The floor matters because Docker reads a NanoCpus of 0 as "no limit" and 1 (1e-9 cores) as a limit
 * nothing runs under: a tiny number must never turn into an unlimited or unusable container.
 */
public final class RequestPolicy {
  private final WorkerConfig config;

  /** @throws ConfigException when this host's own defaults are below the floor (checked once, at start) */
  public RequestPolicy(WorkerConfig config) {
    this.config = config;
    if (!(config.limits().defaultCpus() >= Resources.MIN_CPUS)) {
      throw new ConfigException(EnvNames.DEFAULT_CPUS, "must be >= " + Resources.MIN_CPUS
          + " (less is no CPU limit to Docker), got " + config.limits().defaultCpus());
    }
    if (config.limits().defaultMemoryMb() < Resources.MIN_MEMORY_MB) {
      throw new ConfigException(EnvNames.DEFAULT_MEMORY_MB, "must be >= " + Resources.MIN_MEMORY_MB + ", got "
          + config.limits().defaultMemoryMb());
    }
  }

  /** @throws ProvisioningException with the rule that was broken */
  public void check(TranscoderRequested request) {
    check(request.image(), request.resources());
  }

  /** A demand starts transcoders like requests do, so it passes the same rules before it is recorded. */
  public void check(RoomDemandChanged demand) {
    check(demand.image(), demand.resources());
  }

  private void check(String requestedImage, Resources resources) {
    String image = requestedImage == null ? config.image() : requestedImage;
    if (!config.allowedImages().contains(image)) {
      throw new ProvisioningException(FailureCodes.IMAGE_NOT_ALLOWED,
          "image '" + image + "' is not in BERTH_ALLOWED_IMAGES", false);
    }
    if (resources != null) {
      double cpus = resources.cpus();
      int memoryMb = resources.memoryMb();
      // The contract refuses these already; checked again because a limit Docker ignores is a host-wide risk.
      if (!(cpus >= Resources.MIN_CPUS)) {
        throw new ProvisioningException(FailureCodes.RESOURCES_NOT_ALLOWED, "cpus " + cpus + " is below the minimum "
            + Resources.MIN_CPUS, false);
      }
      if (memoryMb < Resources.MIN_MEMORY_MB) {
        throw new ProvisioningException(FailureCodes.RESOURCES_NOT_ALLOWED, "memoryMb " + memoryMb
            + " is below the minimum " + Resources.MIN_MEMORY_MB, false);
      }
      if (cpus > config.limits().maxCpus()) {
        throw new ProvisioningException(FailureCodes.RESOURCES_NOT_ALLOWED, "cpus " + cpus
            + " exceeds this host's maximum " + config.limits().maxCpus(), false);
      }
      if (memoryMb > config.limits().maxMemoryMb()) {
        throw new ProvisioningException(FailureCodes.RESOURCES_NOT_ALLOWED, "memoryMb " + memoryMb
            + " exceeds this host's maximum " + config.limits().maxMemoryMb(), false);
      }
    }
  }
}
