package io.berth.worker.supervision;

import io.berth.worker.coordination.EtcdCoordination;
import io.berth.worker.coordination.HostLease;
import io.berth.worker.docker.DockerGateway;
import io.berth.worker.docker.ManagedContainer;
import io.berth.worker.provisioning.CapacityGate;
import io.berth.worker.provisioning.TranscoderKey;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a fleet host does when its lease says so. Fence: kill and remove every transcoder container of this host at
 * once (no graceful stop: the survivors may take the addresses as soon as the lease expires); repeated while fenced,
 * so a container a provision started after the fence does not survive it. Rejoin: give up the
 * fleet's ownership of what was fenced, so any host — this one included — brings it back from the kept spec.
 */
public final class Fencing implements HostLease.Listener {
  private static final Logger log = LoggerFactory.getLogger(Fencing.class);

  private final String hostId;
  private final DockerGateway docker;
  private volatile Intents intents;
  private volatile CapacityGate capacity;
  private volatile EtcdCoordination coordination;

  public Fencing(String hostId, DockerGateway docker) {
    this.hostId = hostId;
    this.docker = docker;
  }

  /** Wired after the lease exists (they depend on the coordination it belongs to). */
  public void attach(Intents intents, CapacityGate capacity, EtcdCoordination coordination) {
    this.intents = intents;
    this.capacity = capacity;
    this.coordination = coordination;
  }

  @Override
  public void fence(String reason) {
    List<ManagedContainer> mine = docker.listManaged().stream().filter(c -> hostId.equals(c.hostId())).toList();
    if (mine.isEmpty()) {
      return;
    }
    // All at once: the whole host must be quiet within the last quarter of the TTL.
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
        Math.min(mine.size(), 32), r -> {
          Thread t = new Thread(r, "berth-fence");
          t.setDaemon(true);
          return t;
        });
    try {
      pool.invokeAll(mine.stream().map(c -> (java.util.concurrent.Callable<Void>) () -> {
        kill(c);
        return null;
      }).toList());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pool.shutdownNow();
    }
  }

  private void kill(ManagedContainer c) {
    {
      TranscoderKey key = TranscoderKey.of(c);
      if (intents != null) {
        intents.stopping(key, c.id());
      }
      try {
        docker.remove(c.id()); // force: SIGKILL, then remove
        if (capacity != null) {
          capacity.vacate(key);
        }
        log.warn("fenced: transcoder={} containerId={} address={}", key, c.id(), c.ipAddress());
      } catch (RuntimeException e) {
        log.error("could not fence: transcoder={} containerId={} error={}", key, c.id(), e.getMessage());
      }
    }
  }

  @Override
  public void rejoined() {
    if (coordination == null) {
      return;
    }
    Set<TranscoderKey> running = docker.listManaged().stream().filter(c -> hostId.equals(c.hostId()))
        .map(TranscoderKey::of).collect(Collectors.toSet());
    List<TranscoderKey> fenced = coordination.owned().stream().filter(k -> !running.contains(k)).toList();
    coordination.disown(fenced);
    if (!fenced.isEmpty()) {
      log.info("gave up ownership of fenced transcoders, any host may bring them back: count={}", fenced.size());
    }
  }
}
