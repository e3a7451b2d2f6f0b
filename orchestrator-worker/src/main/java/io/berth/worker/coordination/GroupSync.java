package io.berth.worker.coordination;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Group commit for a store whose writes must be on disk before they are answered. Each write takes a ticket once it
 * is in the store (not yet committed or synced); waiting for a ticket either finds a sync that began after it and so covered
 * it, or runs one sync for every write committed so far. Writers that arrive while one fsync runs share the next: with
 * an fsync of a few milliseconds, concurrent commands no longer queue one fsync each.
 */
final class GroupSync {
  private final Runnable fsync;
  private final AtomicLong issued = new AtomicLong();
  private final Object syncing = new Object();
  private volatile long synced; // written under syncing

  /** @param fsync commits and forces to disk every write made so far */
  GroupSync(Runnable fsync) {
    this.fsync = fsync;
  }

  /** Call right after the write is in the store (still under the store's lock, so tickets follow write order). */
  long ticket() {
    return issued.incrementAndGet();
  }

  /** The newest ticket handed out: waiting for it makes every write so far durable. */
  long latest() {
    return issued.get();
  }

  /** Every ticket up to this one is on disk. */
  long synced() {
    return synced;
  }

  /** Returns once the write holding {@code ticket} is on disk. */
  void awaitDurable(long ticket) {
    if (synced >= ticket) {
      return; // on disk already: no need to queue behind an fsync in progress (most reads end here)
    }
    synchronized (syncing) {
      if (synced >= ticket) {
        return; // a sync that began after this write's commit covered it
      }
      long covers = issued.get(); // every write up to here was in the store before its ticket: the sync takes it
      fsync.run();
      synced = covers;
    }
  }
}
