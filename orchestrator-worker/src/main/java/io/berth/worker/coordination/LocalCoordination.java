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
      return new LocalCoordination(new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open(), clock,
          keepCancellations);
    } catch (MVStoreException e) {
      if (e.getErrorCode() == org.h2.mvstore.DataUtils.ERROR_FILE_LOCKED) {
        throw new IllegalStateException("another worker with host id '" + hostId + "' holds " + file
            + "; two workers with one host id would undo each other's work", e);
      }
      throw new IllegalStateException("cannot open the state store " + file + ": " + e.getMessage(), e);
    }
  }

  /** MVStore behind the compare-and-set contract; writes are committed and synced to disk before they return. */
  private static final class Store implements DurableMap {
    /** One process owns the file (its lock): versions only need to order this process's own writers. */
    private final Map<String, Long> versions = new java.util.HashMap<>();
    private final MVStore store;
    private final MVMap<String, String> map;

    Store(MVStore store, MVMap<String, String> map) {
      this.store = store;
      this.map = map;
    }

    @Override
    public synchronized Optional<Versioned> get(String key) {
      String value = map.get(key);
      return value == null ? Optional.empty()
          : Optional.of(new Versioned(value, versions.computeIfAbsent(key, k -> 1L)));
    }

    @Override
    public synchronized boolean putIfVersion(String key, long expectedVersion, String value) {
      Optional<Versioned> current = get(key);
      if (current.map(Versioned::version).orElse(0L) != expectedVersion) {
        return false;
      }
      map.put(key, value);
      durable();
      versions.put(key, expectedVersion + 1);
      return true;
    }

    @Override
    public synchronized void delete(String key) {
      versions.remove(key);
      if (map.remove(key) != null) {
        durable();
      }
    }

    @Override
    public synchronized boolean deleteIfValue(String key, String expectedValue) {
      if (!expectedValue.equals(map.get(key))) {
        return false;
      }
      delete(key);
      return true;
    }

    @Override
    public synchronized Map<String, String> list(String prefix) {
      Map<String, String> found = new TreeMap<>();
      for (var cursor = map.cursor(prefix); cursor.hasNext(); ) {
        String key = cursor.next();
        if (!key.startsWith(prefix)) {
          break;
        }
        found.put(key, cursor.getValue());
      }
      return found;
    }

    private void durable() {
      store.commit();
      store.sync();
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
