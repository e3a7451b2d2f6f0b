package io.berth.worker.provisioning;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Counts the transcoders this host holds (running or suspended: both keep their address) plus the ones being
 * provisioned, against {@code BERTH_MAX_TRANSCODERS}. Keyed, so a duplicate request for a held transcoder needs no slot.
 */
public final class CapacityGate {
  private final int capacity;
  private final Set<TranscoderKey> held = new HashSet<>();
  private final Set<TranscoderKey> reserved = new HashSet<>();
  private final IntConsumer onFreeChanged;
  private final java.util.Map<TranscoderKey, Long> changedAt = new java.util.HashMap<>();
  private long clock;
  private volatile Runnable onVacated = () -> { };

  /** @param onFreeChanged told the new number of free slots after every change, outside no lock ordering concerns */
  public CapacityGate(int capacity, IntConsumer onFreeChanged) {
    this.capacity = capacity;
    this.onFreeChanged = onFreeChanged;
  }

  /** Also told when a held transcoder goes (its address may be free again); not when a reservation is given back. */
  public void onVacated(Runnable listener) {
    this.onVacated = listener;
  }

  public int capacity() {
    return capacity;
  }

  public synchronized int held() {
    return held.size();
  }

  public synchronized int free() {
    return Math.max(0, capacity - held.size() - reserved.size());
  }

  /** @return whether the transcoder may go ahead: already held, or a slot was reserved for it */
  public boolean tryReserve(TranscoderKey key) {
    int free;
    synchronized (this) {
      if (held.contains(key) || reserved.contains(key)) {
        return true;
      }
      if (held.size() + reserved.size() >= capacity) {
        return false;
      }
      reserved.add(key);
      free = free();
    }
    onFreeChanged.accept(free);
    return true;
  }

  /** Ends a reservation: the transcoder is now held, or the slot is given back. */
  public void settle(TranscoderKey key, boolean nowHeld) {
    int free;
    synchronized (this) {
      reserved.remove(key);
      if (nowHeld) {
        held.add(key);
      }
      changedAt.put(key, ++clock);
      free = free();
    }
    onFreeChanged.accept(free);
  }

  public void vacate(TranscoderKey key) {
    int free;
    synchronized (this) {
      held.remove(key);
      changedAt.put(key, ++clock);
      free = free();
    }
    onVacated.run();
    onFreeChanged.accept(free);
  }

  /** Take before reading Docker; pass to {@link #resetHeld} so changes made meanwhile are not undone. */
  public synchronized long stamp() {
    return clock;
  }

  /**
   * Replaces what is held with what Docker reported in a snapshot taken at {@code stamp}, except for transcoders
   * that settled or vacated since: for those the gate knows better than the snapshot.
   */
  public void resetHeld(Collection<TranscoderKey> keys, long stamp) {
    int free;
    boolean shrank;
    synchronized (this) {
      java.util.Set<TranscoderKey> fresh = new HashSet<>(keys);
      changedAt.forEach((key, at) -> {
        if (at > stamp) {
          if (held.contains(key)) {
            fresh.add(key);
          } else {
            fresh.remove(key);
          }
        }
      });
      changedAt.values().removeIf(at -> at <= stamp);
      shrank = !fresh.containsAll(held);
      held.clear();
      held.addAll(fresh);
      free = free();
    }
    if (shrank) {
      onVacated.run();
    }
    onFreeChanged.accept(free);
  }
}
