package io.berth.worker.provisioning;

import io.berth.events.TranscoderRequested;
import io.berth.worker.config.WorkerConfig;
import io.berth.worker.failure.FailureCodes;
import io.berth.worker.failure.ProvisioningException;

/** Rules a request must pass before any Docker call: allowed image, resources within this host's ceiling. */
public final class RequestPolicy {
  private final WorkerConfig config;

  public RequestPolicy(WorkerConfig config) {
    this.config = config;
  }

  /** @throws ProvisioningException with the rule that was broken */
  public void check(TranscoderRequested request) {
    String image = request.image() == null ? config.image() : request.image();
    if (!config.allowedImages().contains(image)) {
      throw new ProvisioningException(FailureCodes.IMAGE_NOT_ALLOWED,
          "image '" + image + "' is not in BERTH_ALLOWED_IMAGES", false);
    }
    if (request.resources() != null) {
      if (request.resources().cpus() > config.limits().maxCpus()) {
        throw new ProvisioningException(FailureCodes.RESOURCES_NOT_ALLOWED, "cpus " + request.resources().cpus()
            + " exceeds this host's maximum " + config.limits().maxCpus(), false);
      }
      if (request.resources().memoryMb() > config.limits().maxMemoryMb()) {
        throw new ProvisioningException(FailureCodes.RESOURCES_NOT_ALLOWED, "memoryMb " + request.resources().memoryMb()
            + " exceeds this host's maximum " + config.limits().maxMemoryMb(), false);
      }
    }
  }
}
