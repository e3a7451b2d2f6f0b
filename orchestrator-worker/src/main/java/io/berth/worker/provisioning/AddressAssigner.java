package io.berth.worker.provisioning;

import io.berth.worker.coordination.Coordination;
import io.berth.worker.docker.DockerGateway;
import io.berth.worker.docker.ManagedContainer;
import io.berth.worker.failure.ProvisioningException;
import io.berth.worker.ipam.AddressAllocator;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Leases a free address: free means not on a live endpoint, not in the address label of any Berth container (a
 * suspended one keeps its address while stopped), not leased by a provision still running in this process, and — in a
 * fleet — reserved for this transcoder cluster-wide by a compare-and-set in the coordination store.
 */
public final class AddressAssigner {
  private final DockerGateway docker;
  private final AddressAllocator allocator;
  private final String network;
  private final Coordination coordination;
  private final Set<String> leased = new HashSet<>();
  /** Free addresses as last counted; -1 when not known (something was freed since): the intake does not wait on it. */
  private volatile int knownLeft = -1;

  public AddressAssigner(DockerGateway docker, AddressAllocator allocator, String network,
      Coordination coordination) {
    this.coordination = coordination;
    this.docker = docker;
    this.allocator = allocator;
    this.network = network;
  }

  /**
   * @param avoid addresses Docker just refused for this provision
   * @return an address held for the caller until {@link #release}: release it only once the container that uses it
   *     is started, so no other provision can take it in between
   */
  public String lease(TranscoderKey key, Set<String> avoid) {
    synchronized (leased) {
      // Look at Docker inside the lock: a snapshot older than another lease's release could miss its container.
      Set<String> used = used();
      used.addAll(avoid);
      while (true) {
        // First choice is the lowest free address (readable, deterministic); after a refusal, a random one.
        Optional<String> choice = avoid.isEmpty() ? allocator.pick(used)
            : allocator.pickRandom(used, ThreadLocalRandom.current());
        if (choice.isEmpty()) {
          knownLeft = 0;
          // Like a full host: the request waits (here or elsewhere) for an address to free, it is not failed.
          throw new NoCapacityException("no free address left in the range of network " + network);
        }
        String address = choice.get();
        if (coordination.reserveAddress(address, key)) {
          leased.add(address);
          used.add(address);
          knownLeft = allocator.countFree(used);
          return address;
        }
        used.add(address); // another host reserved it since our look
      }
    }
  }

  /** Counts the range's free addresses now (Docker, and the fleet's reservations). */
  public int addressesLeft() {
    synchronized (leased) {
      int left = allocator.countFree(used());
      knownLeft = left;
      return left;
    }
  }

  /** Free addresses as last counted, or -1 when something may have been freed since (then: not a reason to wait). */
  public int knownLeft() {
    return knownLeft;
  }

  /** A transcoder went away: its address may be free now; the next lease or count says. */
  public void forgetLeft() {
    knownLeft = -1;
  }

  private Set<String> used() {
    Set<String> used = new HashSet<>(docker.endpointAddresses(network));
    for (ManagedContainer c : docker.listManaged()) {
      used.add(c.ipAddress());
    }
    used.addAll(leased);
    used.addAll(coordination.reservedAddresses());
    return used;
  }

  /** The provision gave the address up without a container on it: free it for everyone. */
  public void giveUp(String address, TranscoderKey key) {
    release(address);
    coordination.freeAddress(address, key);
  }

  /** Holds an address the caller already owns (a container being recreated on it) while it has no container. */
  public void hold(String address) {
    synchronized (leased) {
      leased.add(address);
    }
  }

  /** Re-asserts the transcoder's own address in the fleet (a recreate or a move); false when someone else has it. */
  public boolean reserveOwn(String address, TranscoderKey key) {
    return coordination.reserveAddress(address, key);
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
