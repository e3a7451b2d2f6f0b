package io.berth.worker.coordination;

import io.berth.worker.provisioning.TranscoderKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * One host alone: intents in a small durable store on the host's disk (H2's MVStore, one file per host id, written
 * and fsynced before the command that records an intent is acked). Placement needs no claims: one Docker engine is
 * the only placement, and container names are unique per engine; addresses come from Docker's own view.
 *
 * <p>Why a file and not Docker objects with labels: labels are immutable after creation, and every Docker object that
 * could carry an intent (stopped container, volume, network) is removed by a routine {@code docker system prune} —
 * a suspended tenant would be served again after a clean-up. The store's file lock also stops a second worker with
 * the same host id on this machine.
 */
public final class LocalCoordination extends IntentsOnBook {
  /**
   * Every commit writes each page a write touched, whole: with MVStore's 16 KB default, a burst of releases nobody
   * holds serialised 16 KB of neighbouring intents per commit. Small pages keep a commit close to what changed.
   */
  static final int PAGE_SPLIT_BYTES = 4 * 1024;
  private final MVStore store;
  private final MVMap<String, String> map;

  private LocalCoordination(MVStore store, Clock clock, Duration keepCancellations) {
    this(store, store.openMap("intents"), clock, keepCancellations);
  }

  private LocalCoordination(MVStore store, MVMap<String, String> map, Clock clock, Duration keepCancellations) {
    super(new IntentBook(new Store(store, map), clock, keepCancellations));
    this.store = store;
    this.map = map;
  }

  /**
   * @throws IllegalStateException when the store cannot be opened: the directory is not writable, or another worker
   *     with this host id holds it
   */
  public static LocalCoordination open(Path stateDir, String hostId, Clock clock, Duration keepCancellations) {
    Path file = stateDir.resolve(hostId + ".mv.db");
    try {
      Files.createDirectories(stateDir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the state directory " + stateDir + ": " + e.getMessage(), e);
    }
    try {
      return new LocalCoordination(new MVStore.Builder().fileName(file.toString()).autoCommitDisabled()
          .pageSplitSize(PAGE_SPLIT_BYTES).open(), clock,
          keepCancellations);
    } catch (MVStoreException e) {
      if (e.getErrorCode() == org.h2.mvstore.DataUtils.ERROR_FILE_LOCKED) {
        throw new IllegalStateException("another worker with host id '" + hostId + "' holds " + file
            + "; two workers with one host id would undo each other's work", e);
      }
      throw new IllegalStateException("cannot open the state store " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * MVStore behind the compare-and-set contract; writes are committed and synced to disk before they return, and a
   * read waits for the write it sees to be on disk too. Commits and syncs are shared by concurrent writers
   * ({@link GroupSync}).
   */
  private static final class Store implements DurableMap {
    /** One process owns the file (its lock): versions only need to order this process's own writers. */
    private final Map<String, Long> versions = new java.util.HashMap<>();
    /** The sync ticket of each key's last write. */
    private final Map<String, Long> tickets = new java.util.HashMap<>();
    private final MVStore store;
    private final MVMap<String, String> map;
    private final GroupSync sync;

    Store(MVStore store, MVMap<String, String> map) {
      this.store = store;
      this.map = map;
      // The commit (serialising the changed pages into a chunk) is shared as well as the fsync: one chunk per group
      // instead of one per write under this store's lock.
      this.sync = new GroupSync(() -> {
        store.commit();
        store.sync();
      });
    }

    @Override
    public Optional<Versioned> get(String key) {
      Optional<Versioned> found;
      long ticket;
      synchronized (this) {
        found = read(key);
        ticket = tickets.getOrDefault(key, 0L);
      }
      sync.awaitDurable(ticket);
      return found;
    }

    private Optional<Versioned> read(String key) {
      String value = map.get(key);
      return value == null ? Optional.empty()
          : Optional.of(new Versioned(value, versions.computeIfAbsent(key, k -> 1L)));
    }

    @Override
    public boolean putIfVersion(String key, long expectedVersion, String value) {
      long ticket;
      synchronized (this) {
        if (read(key).map(Versioned::version).orElse(0L) != expectedVersion) {
          ticket = tickets.getOrDefault(key, 0L);
          sync.awaitDurable(ticket); // the value that beat ours is durable before we say so
          return false;
        }
        map.put(key, value);
        ticket = committed(key);
        versions.put(key, expectedVersion + 1);
      }
      sync.awaitDurable(ticket);
      return true;
    }

    @Override
    public void delete(String key) {
      long ticket;
      synchronized (this) {
        versions.remove(key);
        if (map.remove(key) == null) {
          return;
        }
        ticket = committed(key);
      }
      sync.awaitDurable(ticket);
    }

    @Override
    public boolean deleteIfValue(String key, String expectedValue) {
      long ticket;
      synchronized (this) {
        if (!expectedValue.equals(map.get(key))) {
          return false;
        }
        versions.remove(key);
        map.remove(key);
        ticket = committed(key);
      }
      sync.awaitDurable(ticket);
      return true;
    }

    @Override
    public Map<String, String> list(String prefix) {
      Map<String, String> found = new TreeMap<>();
      long ticket;
      synchronized (this) {
        for (var cursor = map.cursor(prefix); cursor.hasNext(); ) {
          String key = cursor.next();
          if (!key.startsWith(prefix)) {
            break;
          }
          found.put(key, cursor.getValue());
        }
        ticket = sync.latest();
      }
      sync.awaitDurable(ticket);
      return found;
    }

    /**
     * Takes the write's ticket under the lock (the map holds it, visible to readers, who wait for the ticket before
     * they answer); the caller waits outside it for the group's commit and sync to cover the ticket.
     */
    private long committed(String key) {
      long ticket = sync.ticket();
      tickets.put(key, ticket);
      if (tickets.size() > 4096) {
        long durable = sync.synced();
        tickets.values().removeIf(t -> t <= durable); // on disk already: a read need not wait for them
      }
      return ticket;
    }
  }

  @Override
  public Optional<String> claim(TranscoderKey key) {
    return Optional.empty(); // one engine: the container name is the claim
  }

  @Override
  public boolean reserveAddress(String address, TranscoderKey key) {
    return true; // Docker's endpoints and labels on this one engine are the allocation
  }

  @Override
  public void freeAddress(String address, TranscoderKey key) {}

  @Override
  public void keep(KeptTranscoder transcoder) {} // the container's labels keep it

  @Override
  public Optional<String> holder(TranscoderKey key) {
    return Optional.empty(); // the container's labels say it
  }

  @Override
  public Optional<KeptTranscoder> kept(TranscoderKey key) {
    return Optional.empty();
  }

  @Override
  public boolean release(TranscoderKey key) {
    return false;
  }

  @Override
  public void unclaim(TranscoderKey key) {}

  @Override
  public List<TranscoderKey> ownedHere() {
    return List.of();
  }

  @Override
  public boolean inContact() {
    return true;
  }

  @Override
  public boolean releaseOrphan(TranscoderKey key) {
    return false;
  }

  @Override
  public java.util.Set<String> reservedAddresses() {
    return java.util.Set.of();
  }

  @Override
  public List<KeptTranscoder> orphans() {
    return List.of(); // no other host to inherit from
  }

  @Override
  public String mode() {
    return "single-host";
  }

  @Override
  public void close() {
    if (!store.isClosed()) {
      store.close();
    }
  }
}
