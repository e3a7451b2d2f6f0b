package io.berth.worker.provisioning;

import io.berth.events.LifecycleData;
import io.berth.events.ProvisioningFailed;
import io.berth.events.RestartCause;
import io.berth.events.StopReason;
import io.berth.events.TranscoderRestarted;
import io.berth.events.TranscoderStarted;
import io.berth.events.TranscoderStopped;
import io.berth.worker.config.WorkerConfig;
import io.berth.worker.coordination.Cancellation;
import io.berth.worker.coordination.Coordination;
import io.berth.worker.coordination.CoordinationUnavailableException;
import io.berth.worker.coordination.KeptTranscoder;
import io.berth.worker.docker.DockerGateway;
import io.berth.worker.docker.ManagedContainer;
import io.berth.worker.failure.FailureCodes;
import io.berth.worker.failure.ProvisioningException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Idempotent operations on one transcoder, each comparing what is wanted with what Docker reports and doing only the
 * difference. Callers guarantee one operation per transcoder at a time ({@link KeyedExecutor}).
 */
public final class TranscoderOperations {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TranscoderOperations.class);

  private final WorkerConfig config;
  private final DockerGateway docker;
  private final ContainerSpecFactory specs;
  private final AddressAssigner addresses;
  private final ReadinessWaiter readiness;
  private final CapacityGate capacity;
  private final ContainerLauncher launcher;
  private final IntentListener intents;
  private final Coordination coordination;
  private final AddressProbe probe;
  private final Map<TranscoderKey, Integer> requestedRestarts = new ConcurrentHashMap<>();

  public TranscoderOperations(WorkerConfig config, DockerGateway docker, ContainerSpecFactory specs,
      AddressAssigner addresses, ReadinessWaiter readiness, CapacityGate capacity, ContainerLauncher launcher,
      IntentListener intents, Coordination coordination, AddressProbe probe) {
    this.coordination = coordination;
    this.probe = probe;
    this.launcher = launcher;
    this.intents = intents;
    this.config = config;
    this.docker = docker;
    this.specs = specs;
    this.addresses = addresses;
    this.readiness = readiness;
    this.capacity = capacity;
  }

  /** Brings a requested transcoder to "running and ready" on this host, or explains why not. */
  public List<LifecycleData> provision(CommandRef command, ContainerSpecFactory.Desired desired) {
    return provision(command, desired, false);
  }

  /**
   * Places one of a room's demand transcoders here ({@code command} is the demand, its time the demand's). Unlike a
   * request, nothing waits for an answer: another host holding it, or a room close after the demand, is simply "no
   * event" (empty). A release of the transcoder does not cancel it: while the demand counts it, a release replaces it.
   *
   * @throws NoCapacityException when this host has no slot: it stays pending for a host that has one
   */
  public List<LifecycleData> placeForDemand(CommandRef demand, ContainerSpecFactory.Desired desired) {
    return provision(demand, desired, true);
  }

  private Optional<Cancellation> cancelling(TranscoderKey key, String roomId, CommandRef command, boolean demand) {
    return demand ? coordination.roomCancelling(key.tenantId(), roomId, command.time())
        : coordination.cancelling(key, roomId, command.time());
  }

  private List<LifecycleData> provision(CommandRef command, ContainerSpecFactory.Desired desired, boolean demand) {
    TranscoderKey key = desired.key();
    Optional<Cancellation> cancelled = cancelling(key, desired.roomId(), command, demand);
    if (cancelled.isPresent()) {
      return demand ? List.of() : List.of(cancelledEvent(key, cancelled.get()));
    }
    refuseIfSuspended(key);
    if (!capacity.tryReserve(key)) {
      throw new NoCapacityException("host " + config.hostId() + " holds " + capacity.capacity() + " transcoders");
    }
    boolean claimed = false;
    boolean held = false;
    boolean keptInFleet = false;
    String createdAddress = null;
    try {
      Optional<String> holder = coordination.claim(key);
      if (holder.isPresent()) {
        return demand ? List.of() : heldElsewhere(key, holder.get()); // a demand: the other host places it
      }
      claimed = true;
      Optional<ManagedContainer> existing = findOwned(key);
      if (existing.isPresent() && !config.hostId().equals(existing.get().hostId())) {
        claimed = false; // not ours to release: the other worker on this engine answers for it
        return List.of(); // another worker on this engine holds it: a duplicate it already served
      }
      String keepAddress = null;
      if (existing.isPresent()) {
        ManagedContainer c = existing.get();
        if (specs.matches(c, desired)) {
          if (!c.isRunning()) {
            docker.start(c.id());
          }
          held = true;
          readiness.awaitReady(c.id(), c.name(), c.ipAddress());
          intents.started(key);
          if (coordination.kept(key).filter(k -> k.containerId().equals(c.id())).isEmpty()) {
            keep(desired, c, command); // a duplicate of what the fleet already keeps writes nothing
          }
          return List.of(started(c, desired.roomId()));
        }
        // The request changed what it wants: recreate, but on the same address, which stays held in between.
        if (!docker.imageExists(desired.image())) {
          throw new ProvisioningException(FailureCodes.IMAGE_UNKNOWN, "image '" + desired.image()
              + "' is not present on this host; the running transcoder was left as it is", false);
        }
        keepAddress = c.ipAddress();
        addresses.hold(keepAddress);
        try {
          intents.stopping(key, c.id());
          docker.remove(c.id());
        } catch (RuntimeException e) {
          addresses.release(keepAddress);
          throw e;
        }
      } else {
        // A transcoder the fleet keeps (it moved, or its host is back): its address follows it — once nothing on the
        // LAN holds it any more (its old host's worker may be dead while its engine still runs the container).
        Optional<KeptTranscoder> kept = coordination.kept(key);
        keptInFleet = kept.isPresent();
        keepAddress = kept.map(KeptTranscoder::address).orElse(null);
        if (keepAddress != null && !config.hostId().equals(kept.get().hostId()) && probe.answers(keepAddress)) {
          throw new CoordinationUnavailableException("address " + keepAddress + " of "
              + key + " still answers on the LAN (host " + kept.get().hostId() + " may still run it); waiting", null);
        }
      }
      ManagedContainer created = launcher.launch(desired, keepAddress, command);
      held = true;
      createdAddress = created.ipAddress();
      if (!coordination.inContact()) {
        // Fenced (or about to be) while we were creating it: it must not outlive the fence.
        intents.stopping(key, created.id());
        docker.remove(created.id());
        held = false;
        throw new CoordinationUnavailableException("lost contact with the fleet while "
            + "starting " + key + "; removed it", null);
      }
      try {
        refuseIfSuspended(key); // a suspension that arrived while we created it
      } catch (ProvisioningException suspended) {
        intents.stopping(key, created.id());
        docker.remove(created.id());
        held = false;
        throw suspended;
      }
      Optional<Cancellation> lateCancel = cancelling(key, desired.roomId(), command, demand);
      if (lateCancel.isPresent()) {
        intents.stopping(key, created.id());
        docker.remove(created.id());
        held = false;
        return demand ? List.of() : List.of(cancelledEvent(key, lateCancel.get()));
      }
      try {
        readiness.awaitReady(created.id(), created.name(), created.ipAddress());
      } catch (RuntimeException notReady) {
        // Nothing half-working left behind: a redelivered or retried request starts clean, here or on another host.
        intents.stopping(key, created.id());
        try {
          docker.remove(created.id());
        } catch (RuntimeException removeFailed) {
          notReady.addSuppressed(removeFailed); // the reconcile pass or the retry finds it
        }
        held = false;
        throw notReady;
      }
      intents.started(key);
      keep(desired, created, command);
      return List.of(started(created, desired.roomId()));
    } finally {
      capacity.settle(key, held);
      if (!held && createdAddress != null && !keptInFleet) {
        freeQuietly(createdAddress, key); // its container was removed again: the fleet's reservation goes too
      }
      if (claimed && !held) {
        if (keptInFleet) {
          unclaimQuietly(key); // a take-over that failed: keep spec and address for the next try, here or elsewhere
        } else {
          releaseClaim(key); // nothing of it is left here: let any host take it
        }
      }
    }
  }

  /**
   * Another host holds the transcoder. Once it has kept the started transcoder, that is the outcome to report (again:
   * this may be the redelivery of a request whose first answer was lost). Before that it is mid-provision, or its
   * host died mid-provision and its claim lapses with its lease: wait, never ack without an answer.
   */
  private List<LifecycleData> heldElsewhere(TranscoderKey key, String holder) {
    Optional<KeptTranscoder> kept = coordination.kept(key).filter(k -> holder.equals(k.hostId()));
    if (kept.isPresent()) {
      KeptTranscoder k = kept.get();
      return List.of(new TranscoderStarted(k.tenantId(), k.transcoderId(), k.roomId(), k.hostId(), k.containerId(),
          k.containerName(), config.network().name(), k.address()));
    }
    throw new CoordinationUnavailableException("transcoder " + key
        + " is being provisioned by host " + holder + "; waiting for its outcome", null);
  }

  private void keep(ContainerSpecFactory.Desired desired, ManagedContainer c, CommandRef request) {
    coordination.keep(new KeptTranscoder(desired.key().tenantId(), desired.key().transcoderId(), desired.roomId(),
        desired.image(), desired.cpus(), desired.memoryMb(), c.ipAddress(), request.id(), request.time(),
        config.hostId(), c.id(), c.name()));
  }

  private void freeQuietly(String address, TranscoderKey key) {
    try {
      addresses.giveUp(address, key);
    } catch (RuntimeException e) {
      log.warn("address reservation not freed: transcoder={} address={} error={}", key, address, e.getMessage());
    }
  }

  private void unclaimQuietly(TranscoderKey key) {
    try {
      coordination.unclaim(key);
    } catch (RuntimeException e) {
      log.warn("ownership not dropped; the reconcile pass drops it: transcoder={} error={}", key, e.getMessage());
    }
  }

  private void releaseClaim(TranscoderKey key) {
    try {
      coordination.release(key);
    } catch (RuntimeException e) {
      log.warn("claim not released, it will expire: transcoder={} error={}", key, e.getMessage());
    }
  }

  /**
   * First half of a removal: stops the container (WCS closes its sessions) and returns the {@code TranscoderStopped}
   * to publish. The container, its slot and its claim stay until {@link #finishRemoval} runs after the event is
   * confirmed, so a command redelivered after a crash or a failed publish still finds something to report.
   * Empty when this host has nothing to do with it.
   */
  public List<LifecycleData> stopForRemoval(TranscoderKey key, StopReason reason) {
    Optional<ManagedContainer> held = findHeldHere(key);
    if (held.isEmpty()) {
      // Kept by the fleet with no container: ours from an earlier try, or an orphan of a dead host not yet taken
      // over (whichever host gets here first reports it). Held by a live host: that host answers.
      boolean ours = coordination.kept(key).isPresent()
          && coordination.holder(key).map(config.hostId()::equals).orElse(true);
      return ours ? List.of(stopped(key, reason)) : List.of();
    }
    ManagedContainer c = held.get();
    intents.removing(key); // its exit, or its standing stopped, is no crash until the removal is done
    if (c.isRunning()) {
      intents.stopping(key, c.id()); // only a running container dies: a mark on a stopped one would go stale
      docker.stop(c.id(), config.stopTimeout()); // let WCS close its sessions before removal
    }
    return List.of(stopped(key, reason));
  }

  /** Second half, once the stop is reported: the container, its slot and what the fleet keeps of it go. */
  public void finishRemoval(TranscoderKey key) {
    findHeldHere(key).ifPresent(c -> {
      if (c.isRunning()) {
        intents.stopping(key, c.id()); // running again (a restart in between): its end is no crash
      }
      docker.remove(c.id());
    });
    capacity.vacate(key);
    requestedRestarts.remove(key);
    intents.removed(key);
    // Not quietly: a release that did not reach the fleet would leave the transcoder owned with no container. The
    // command is retried (the container is gone, so the retry only reports and releases) until it did.
    coordination.release(key);
    coordination.clearCrashLoop(key);
  }

  private TranscoderStopped stopped(TranscoderKey key, StopReason reason) {
    return new TranscoderStopped(key.tenantId(), key.transcoderId(), config.hostId(), reason, true);
  }

  /** Stops it but keeps container and address, for a suspended tenant. */
  public List<LifecycleData> suspend(TranscoderKey key) {
    Optional<ManagedContainer> held = findHeldHere(key);
    if (held.isEmpty()) {
      return List.of();
    }
    if (held.get().isRunning()) {
      intents.stopping(key, held.get().id());
      docker.stop(held.get().id(), config.stopTimeout());
    }
    return List.of(new TranscoderStopped(key.tenantId(), key.transcoderId(), config.hostId(), StopReason.TENANT_SUSPENDED, false));
  }

  /** Starts a suspended transcoder again on its address and reports it ready. */
  public List<LifecycleData> resume(TranscoderKey key) {
    Optional<ManagedContainer> held = findHeldHere(key);
    if (held.isEmpty()) {
      return List.of();
    }
    ManagedContainer c = held.get();
    if (!c.isRunning()) {
      docker.start(c.id());
    }
    readiness.awaitReady(c.id(), c.name(), c.ipAddress());
    intents.started(key);
    return List.of(started(c, c.roomId()));
  }

  /** Restarts in place: same container, same address. */
  public List<LifecycleData> restart(TranscoderKey key) {
    Optional<ManagedContainer> held = findHeldHere(key);
    if (held.isEmpty()) {
      return List.of();
    }
    ManagedContainer c = held.get();
    if (c.isRunning()) {
      intents.stopping(key, c.id());
    }
    docker.restart(c.id(), config.stopTimeout());
    readiness.awaitReady(c.id(), c.name(), c.ipAddress());
    intents.started(key);
    int count = requestedRestarts.merge(key, 1, Integer::sum);
    return List.of(new TranscoderRestarted(key.tenantId(), key.transcoderId(), config.hostId(), RestartCause.REQUESTED, count));
  }

  /**
   * Starts a crashed transcoder again in place (same container, same address). Empty when it is no longer the
   * container that crashed, or already running: a command got there first.
   */
  public List<LifecycleData> restartCrashed(TranscoderKey key, String containerId, int restartCount) {
    Optional<ManagedContainer> held = findHeldHere(key).filter(c -> c.id().equals(containerId) && !c.isRunning());
    if (held.isEmpty()) {
      return List.of();
    }
    ManagedContainer c = held.get();
    docker.start(c.id());
    readiness.awaitReady(c.id(), c.name(), c.ipAddress());
    intents.started(key);
    return List.of(new TranscoderRestarted(key.tenantId(), key.transcoderId(), config.hostId(), RestartCause.CRASHED,
        restartCount));
  }

  /**
   * Its container is gone and Berth did not remove it (an operator's {@code docker rm -f}): Berth does not bring back
   * what someone removed on purpose, but says so, frees its slot, and lets the fleet forget it. Empty when a container
   * for it exists after all.
   */
  public List<LifecycleData> removedOutside(TranscoderKey key) {
    if (docker.find(key.containerName()).filter(key::matches).isPresent()) {
      return List.of();
    }
    capacity.vacate(key);
    requestedRestarts.remove(key);
    intents.removed(key);
    coordination.release(key);
    coordination.clearCrashLoop(key);
    log.warn("container removed outside Berth, not recreated: transcoder={}", key);
    return List.of(new TranscoderStopped(key.tenantId(), key.transcoderId(), config.hostId(),
        StopReason.REMOVED_EXTERNALLY, true));
  }

  /** Removes a container a worker created but never started (it died mid-provision). */
  public void discardHalfDone(TranscoderKey key, String containerId) {
    findHeldHere(key).filter(c -> c.id().equals(containerId) && "created".equals(c.state())).ifPresent(c -> {
      intents.stopping(key, c.id());
      docker.remove(c.id());
      capacity.vacate(key);
      releaseClaim(key);
    });
  }

  /** Removes this host's container of a transcoder that another host holds now (it moved while this host was away). */
  public void discardMovedAway(TranscoderKey key, String containerId) {
    findHeldHere(key).filter(c -> c.id().equals(containerId)).ifPresent(c -> {
      if (coordination.claim(key).isEmpty()) {
        return; // ours again after all
      }
      intents.stopping(key, c.id());
      docker.remove(c.id());
      capacity.vacate(key);
      requestedRestarts.remove(key);
    });
  }

  /** Keys of this host's containers that match a filter: one list call. */
  public List<TranscoderKey> heldHere(String tenantId, String roomIdOrNull) {
    return docker.listManaged().stream()
        .filter(c -> config.hostId().equals(c.hostId()) && tenantId.equals(c.tenantId()))
        .filter(c -> roomIdOrNull == null || roomIdOrNull.equals(c.roomId()))
        .map(TranscoderKey::of)
        .distinct()
        .toList();
  }

  private void refuseIfSuspended(TranscoderKey key) {
    if (coordination.isSuspended(key.tenantId())) {
      throw new ProvisioningException(FailureCodes.TENANT_SUSPENDED,
          "tenant " + key.tenantId() + " is suspended; request again after TenantResumed", true);
    }
  }

  public ProvisioningFailed failed(TranscoderKey key, String code, String message, boolean retriable) {
    return new ProvisioningFailed(key.tenantId(), key.transcoderId(), config.hostId(), code, message, retriable);
  }

  private ProvisioningFailed cancelledEvent(TranscoderKey key, Cancellation c) {
    return failed(key, FailureCodes.CANCELLED, "cancelled by " + c.commandType() + " " + c.commandId()
        + " issued at " + c.at() + ", not after this request", false);
  }

  private TranscoderStarted started(ManagedContainer c, String roomId) {
    return new TranscoderStarted(c.tenantId(), c.transcoderId(), roomId, config.hostId(), c.id(), c.name(),
        config.network().name(), c.ipAddress());
  }

  /** The container named for this key, if its labels say it really is this transcoder (ids may collide in names). */
  private Optional<ManagedContainer> findOwned(TranscoderKey key) {
    Optional<ManagedContainer> found = docker.find(key.containerName());
    if (found.isPresent()) {
      ManagedContainer c = found.get();
      if (!key.matches(c)) {
        throw new ProvisioningException(FailureCodes.NAME_CONFLICT, "container name " + key.containerName()
            + " is taken by " + (c.tenantId().isEmpty() ? "a container Berth does not manage"
            : "transcoder " + c.tenantId() + "/" + c.transcoderId()), false);
      }
    }
    return found;
  }

  /** This host's container for the key; a name clash with another transcoder is simply "not held here". */
  public Optional<ManagedContainer> findHeldHere(TranscoderKey key) {
    return docker.find(key.containerName())
        .filter(c -> key.matches(c) && config.hostId().equals(c.hostId()));
  }
}
