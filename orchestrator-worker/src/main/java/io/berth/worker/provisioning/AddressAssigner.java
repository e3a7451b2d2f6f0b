package io.berth.worker.provisioning;

import io.berth.worker.coordination.Coordination;
import io.berth.worker.docker.CachingDockerGateway;
import io.berth.worker.docker.ManagedContainer;
import io.berth.worker.failure.ProvisioningException;
import io.berth.worker.ipam.AddressAllocator;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Leases a free address: free means not in the address label of any Berth container (a suspended one keeps its address
 * while stopped), not on an endpoint of something else on the network, not leased by a provision still running in this
 * process, and — in a fleet — reserved for this transcoder cluster-wide by a compare-and-set in the coordination store.
 *
 * <p>Berth's containers are read from the informer's copy, not from Docker: a lease costs no Docker call, whatever the
 * host holds. Endpoints of containers Berth did not make are looked up now and then, and again whenever Docker refuses
 * an address or the range looks full; in between, one such endpoint appearing costs a refused create and a retry.
 */
public final class AddressAssigner {
  private static final long FOREIGN_RESCAN_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
  private final CachingDockerGateway docker;
  private final AddressAllocator allocator;
  private final String network;
  private final Coordination coordination;
  private final Set<String> leased = new HashSet<>();
  /** Addresses on the network that no Berth container explains, as last looked up; null before the first look. */
  private Set<String> foreign;
  private long foreignSince;
  /** Free addresses as last counted; -1 when not known (something was freed since): the intake does not wait on it. */
  private volatile int knownLeft = -1;

  public AddressAssigner(CachingDockerGateway docker, AddressAllocator allocator, String network,
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
      Set<String> used = used(!avoid.isEmpty());
      used.addAll(avoid);
      boolean rescanned = !avoid.isEmpty();
      while (true) {
        // First choice is the lowest free address (readable, deterministic); after a refusal, a random one.
        Optional<String> choice = avoid.isEmpty() ? allocator.pick(used)
            : allocator.pickRandom(used, ThreadLocalRandom.current());
        if (choice.isEmpty() && !rescanned) {
          rescanned = true; // full by the copy: make sure before the request waits
          used = used(true);
          used.addAll(avoid);
          continue;
        }
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
      int left = allocator.countFree(used(false));
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

  private Set<String> used(boolean rescanForeign) {
    Set<String> used = new HashSet<>();
    for (ManagedContainer c : docker.managed()) {
      used.add(c.ipAddress());
    }
    if (rescanForeign || foreign == null || System.nanoTime() - foreignSince > FOREIGN_RESCAN_NANOS) {
      Set<String> endpoints = new HashSet<>(docker.endpointAddresses(network));
      endpoints.removeAll(used);
      foreign = endpoints;
      foreignSince = System.nanoTime();
    }
    used.addAll(foreign);
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
