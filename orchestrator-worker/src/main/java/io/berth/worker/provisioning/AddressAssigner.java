package io.berth.worker.provisioning;

import io.berth.worker.docker.DockerGateway;
import io.berth.worker.docker.ManagedContainer;
import io.berth.worker.failure.FailureCodes;
import io.berth.worker.failure.ProvisioningException;
import io.berth.worker.ipam.AddressAllocator;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Leases a free address: free means not on a live endpoint, not in the address label of any Berth container (a
 * suspended one keeps its address while stopped), and not leased by a provision still running in this process.
 */
public final class AddressAssigner {
  private final DockerGateway docker;
  private final AddressAllocator allocator;
  private final String network;
  private final Set<String> leased = new HashSet<>();

  public AddressAssigner(DockerGateway docker, AddressAllocator allocator, String network) {
    this.docker = docker;
    this.allocator = allocator;
    this.network = network;
  }

  /**
   * @param avoid addresses Docker just refused for this provision
   * @return an address held for the caller until {@link #release}: release it only once the container that uses it
   *     is started, so no other provision can take it in between
   */
  public String lease(Set<String> avoid) {
    synchronized (leased) {
      // Look at Docker inside the lock: a snapshot older than another lease's release could miss its container.
      Set<String> used = new HashSet<>(docker.endpointAddresses(network));
      for (ManagedContainer c : docker.listManaged()) {
        used.add(c.ipAddress());
      }
      used.addAll(avoid);
      used.addAll(leased);
      // First choice is the lowest free address (readable, deterministic); after a refusal, a random one.
      Optional<String> choice = avoid.isEmpty() ? allocator.pick(used)
          : allocator.pickRandom(used, ThreadLocalRandom.current());
      String address = choice.orElseThrow(() -> new ProvisioningException(FailureCodes.IP_RANGE_EXHAUSTED,
          "no free address left in the range of network " + network, true));
      leased.add(address);
      return address;
    }
  }

  /** Holds an address the caller already owns (a container being recreated on it) while it has no container. */
  public void hold(String address) {
    synchronized (leased) {
      leased.add(address);
    }
  }

  /** Ends a lease once the container using the address is started (or the provision gave up). */
  public void release(String address) {
    synchronized (leased) {
      leased.remove(address);
    }
  }

  public boolean isAssignable(String address) {
    return allocator.isAssignable(address);
  }
}
