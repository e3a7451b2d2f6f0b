package io.berth.worker.ipam;

import io.berth.worker.config.Ipv4;
import io.berth.worker.config.NetworkConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Picks a static address for a new transcoder from the configured range. Pure: the caller passes what Docker reports
 * in use (running endpoints and the address labels of stopped containers), so a worker restart loses nothing.
 */
public final class AddressAllocator {
  private final NetworkConfig network;

  public AddressAllocator(NetworkConfig network) {
    this.network = network;
  }

  /**
   * The lowest free address of the range: never the gateway or the host shim, never the subnet's network or broadcast address, never
   * one in {@code used}. Lowest-first keeps allocation deterministic and easy to read in {@code docker network inspect}.
   */
  public Optional<String> pick(Set<String> used) {
    int first = network.ipRange().first();
    int last = network.ipRange().last();
    for (long candidate = Integer.toUnsignedLong(first); candidate <= Integer.toUnsignedLong(last); candidate++) {
      int address = (int) candidate;
      if (isAssignable(address) && !used.contains(Ipv4.format(address))) {
        return Optional.of(Ipv4.format(address));
      }
    }
    return Optional.empty();
  }

  /**
   * A free address chosen at random, for a retry after Docker refused one: workers sharing an engine that all take
   * "the lowest" would keep colliding in lockstep.
   */
  public Optional<String> pickRandom(Set<String> used, RandomGenerator random) {
    List<String> free = new ArrayList<>();
    for (long candidate = Integer.toUnsignedLong(network.ipRange().first());
        candidate <= Integer.toUnsignedLong(network.ipRange().last()); candidate++) {
      int address = (int) candidate;
      if (isAssignable(address) && !used.contains(Ipv4.format(address))) {
        free.add(Ipv4.format(address));
      }
    }
    return free.isEmpty() ? Optional.empty() : Optional.of(free.get(random.nextInt(free.size())));
  }

  /** How many addresses of the range may belong to a transcoder at all. */
  public int assignableCount() {
    return countFree(Set.of());
  }

  /** Assignable addresses not in {@code used}. */
  public int countFree(Set<String> used) {
    int free = 0;
    for (long candidate = Integer.toUnsignedLong(network.ipRange().first());
        candidate <= Integer.toUnsignedLong(network.ipRange().last()); candidate++) {
      int address = (int) candidate;
      if (isAssignable(address) && !used.contains(Ipv4.format(address))) {
        free++;
      }
    }
    return free;
  }

  /** Whether an address may belong to a transcoder at all, whatever is in use. */
  public boolean isAssignable(int address) {
    return network.ipRange().contains(address)
        && address != network.gateway()
        && !network.hostShim().equals(java.util.Optional.of(address))
        && address != network.subnet().first()
        && address != network.subnet().last();
  }

  public boolean isAssignable(String address) {
    try {
      return isAssignable(Ipv4.parse(address));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
