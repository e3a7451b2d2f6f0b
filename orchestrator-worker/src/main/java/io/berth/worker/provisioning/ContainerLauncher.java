package io.berth.worker.provisioning;

import io.berth.worker.docker.ContainerSpec;
import io.berth.worker.docker.DockerCallException;
import io.berth.worker.docker.DockerGateway;
import io.berth.worker.docker.ManagedContainer;
import io.berth.worker.failure.FailureCodes;
import io.berth.worker.failure.ProvisioningException;
import java.util.HashSet;
import java.util.Set;

/**
 * Puts a WCS container on the network at a free static address and starts it: the one place where "two transcoders
 * never share an address" is kept. The address stays leased from the pick until the container is started (or given
 * up); when Docker refuses it as taken (another worker on the engine got there first) the next try takes another.
 */
public final class ContainerLauncher {
  private static final int ADDRESS_ATTEMPTS = 8;

  private final DockerGateway docker;
  private final ContainerSpecFactory specs;
  private final AddressAssigner addresses;
  private final NetworkGuard network;
  private final java.util.concurrent.Semaphore starts;

  /**
   * @param concurrentStarts containers created and started at once ({@code BERTH_CONCURRENCY}): that is CPU work on the
   *     host, while the wait for a media server to get ready is not, so the caller's threads may outnumber it
   */
  public ContainerLauncher(DockerGateway docker, ContainerSpecFactory specs, AddressAssigner addresses,
      NetworkGuard network, int concurrentStarts) {
    this.starts = new java.util.concurrent.Semaphore(concurrentStarts, true);
    this.docker = docker;
    this.specs = specs;
    this.addresses = addresses;
    this.network = network;
  }

  /** @param heldAddress an address the caller already holds (recreate), used first and released here */
  public ManagedContainer launch(ContainerSpecFactory.Desired desired, String heldAddress, CommandRef request) {
    try {
      starts.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.berth.worker.failure.ShuttingDownException();
    }
    try {
      return launchWithNetwork(desired, heldAddress, request);
    } finally {
      starts.release();
    }
  }

  private ManagedContainer launchWithNetwork(ContainerSpecFactory.Desired desired, String heldAddress,
      CommandRef request) {
    network.ensure();
    try {
      return launchOnNetwork(desired, heldAddress, request);
    } catch (DockerCallException e) {
      if (!e.isNoSuchNetwork()) {
        throw e;
      }
      // Deleted or pruned behind our back (a prune removes it whenever no transcoder runs): make it again, once.
      network.forget();
      network.ensure();
      return launchOnNetwork(desired, heldAddress, request);
    }
  }

  private ManagedContainer launchOnNetwork(ContainerSpecFactory.Desired desired, String heldAddress,
      CommandRef request) {
    Set<String> refused = new HashSet<>();
    TranscoderKey key = desired.key();
    if (heldAddress != null) {
      addresses.hold(heldAddress);
      if (!addresses.reserveOwn(heldAddress, key)) {
        addresses.release(heldAddress);
        throw new ProvisioningException(FailureCodes.ADDRESS_CONFLICT, "address " + heldAddress + " of " + key
            + " is reserved for another transcoder in the fleet", false);
      }
    }
    for (int attempt = 0; attempt < ADDRESS_ATTEMPTS; attempt++) {
      String address = attempt == 0 && heldAddress != null ? heldAddress : addresses.lease(key, refused);
      boolean started = false;
      try {
        ContainerSpec spec = specs.spec(desired, address, request);
        String id;
        try {
          id = docker.create(spec);
        } catch (DockerCallException e) {
          if (e.isConflict()) {
            throw new ProvisioningException(FailureCodes.NAME_CONFLICT, "container " + spec.name()
                + " was created concurrently by another worker on this engine", true);
          }
          throw e;
        }
        try {
          docker.start(id);
          started = true;
          return new ManagedContainer(id, spec.name(), "running", spec.labels());
        } catch (DockerCallException e) {
          docker.remove(id); // never leave a container that could not start
          if (!e.isAddressInUse()) {
            throw e;
          }
          refused.add(address);
        }
      } finally {
        if (started || address.equals(heldAddress)) {
          addresses.release(address); // its endpoint and label hold it now, or it stays the transcoder's own
        } else {
          addresses.giveUp(address, key); // no container on it: free it in the fleet too
        }
      }
    }
    throw new ProvisioningException(FailureCodes.ADDRESS_CONFLICT,
        "Docker refused " + ADDRESS_ATTEMPTS + " addresses as already in use: " + refused, true);
  }
}
