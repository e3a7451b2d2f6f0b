package io.berth.worker.supervision;

import io.berth.worker.docker.DockerGateway;
import io.berth.worker.docker.ManagedContainer;
import io.berth.worker.provisioning.CapacityGate;
import io.berth.worker.provisioning.KeyedExecutor;
import io.berth.worker.coordination.Coordination;
import io.berth.worker.provisioning.TranscoderKey;
import io.berth.worker.provisioning.TranscoderOperations;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares Docker's labelled containers with what the worker holds, with one list call: adopts what runs (after a
 * worker restart), removes containers created but never started by a worker that died mid-provision, hands exits
 * nobody reported to the supervisor, and checks in a fleet that this host still owns what it runs: a container whose
 * transcoder another host has taken over (this host was fenced or away) is removed. Idempotent; skips any transcoder a
 * command is working on.
 */
public final class ReconcilePass implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ReconcilePass.class);
  /** Exit codes of a stop (SIGTERM handled, or not): for containers older than the request-time label, no crash. */
  private static final Set<Integer> STOP_EXIT_CODES = Set.of(0, 143);

  private final String hostId;
  private final DockerGateway docker;
  private final TranscoderOperations ops;
  private final KeyedExecutor transcoders;
  private final CapacityGate capacity;
  private final Supervisor supervisor;
  private final Intents intents;
  private final Coordination coordination;
  private final java.util.function.BooleanSupplier dockerDown;
  private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile Set<String> createdLastPass = Set.of();
  private volatile Map<String, Integer> states = Map.of();
  private final io.micrometer.core.instrument.Timer passes;

  public ReconcilePass(String hostId, DockerGateway docker, TranscoderOperations ops, KeyedExecutor transcoders,
      CapacityGate capacity, Supervisor supervisor, Intents intents, Coordination coordination,
      java.util.function.BooleanSupplier dockerDown, io.micrometer.core.instrument.MeterRegistry meters) {
    // Reconcile is linear in the containers a host holds (issue 9): operators and the benchmark watch it grow here.
    this.passes = io.micrometer.core.instrument.Timer.builder("berth.reconcile.pass")
        .description("Time of one reconcile pass: the list of this host's containers and what follows from it")
        .register(meters);
    this.dockerDown = dockerDown;
    this.coordination = coordination;
    this.hostId = hostId;
    this.docker = docker;
    this.ops = ops;
    this.transcoders = transcoders;
    this.capacity = capacity;
    this.supervisor = supervisor;
    this.intents = intents;
  }

  /** Runs a pass unless one is already running (callers pile up while Docker is slow: one pass serves them all). */
  @Override
  public void run() {
    if (dockerDown.getAsBoolean() || !running.compareAndSet(false, true)) {
      return;
    }
    long start = System.nanoTime();
    try {
      pass();
      passes.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    } finally {
      running.set(false);
    }
  }

  /**
   * This host's containers by Docker state ({@code running}, {@code exited}, {@code created}, ...) as the last pass
   * found them: what a metrics scrape reports without calling Docker. Empty before the first pass.
   */
  public Map<String, Integer> lastStates() {
    return states;
  }

  private void pass() {
    List<ManagedContainer> mine;
    long stamp = capacity.stamp();
    try {
      mine = docker.listManaged().stream().filter(c -> hostId.equals(c.hostId())).toList();
    } catch (RuntimeException e) {
      log.warn("reconcile pass skipped: error={}", e.getMessage());
      return;
    }
    capacity.resetHeld(mine.stream().map(TranscoderKey::of).distinct().toList(), stamp);
    Map<String, Integer> byState = new java.util.TreeMap<>();
    mine.forEach(c -> byState.merge(c.state(), 1, Integer::sum));
    states = Map.copyOf(byState);
    Set<String> created = new HashSet<>();
    for (ManagedContainer c : mine) {
      TranscoderKey key = TranscoderKey.of(c);
      if (transcoders.isBusy(key) || !ownedHere(key, c)) {
        continue;
      }
      switch (c.state()) {
        case "created" -> {
          // Seen twice with nobody working on it: its provision died with its worker. The request, if it was never
          // acked, comes back and starts clean.
          if (createdLastPass.contains(c.id())) {
            log.info("removing half-done container: transcoder={} containerId={}", key, c.id());
            transcoders.submit(key, () -> {
              ops.discardHalfDone(key, c.id());
              return null;
            });
          } else {
            created.add(c.id());
          }
        }
        case "exited", "dead" -> {
          // Known running to this process: any exit it did not ask for is a crash (a dockerd restart exits
          // everything with 0 or 143). First seen after a worker restart: what Berth decided about it is durable
          // (release, close, suspension, crash loop: leaveStopped below) once the container names its request's
          // time, so any other exit is a crash too; a container made before that label existed is judged by its
          // exit code.
          boolean crashed = intents.wasSeenRunning(key) || c.requestedAt().isPresent()
              || !STOP_EXIT_CODES.contains(c.exitCode());
          if (!intents.leaveStopped(c) && crashed) {
            supervisor.exited(key, c.id());
          }
        }
        case "running" -> intents.seenRunning(key);
        default -> { }
      }
    }
    createdLastPass = created;
    dropOwnershipWithoutContainer(mine);
  }

  /**
   * Fleet: a transcoder this host owns but does not run (a fence removed it, a release half-failed, a provision died)
   * would be stuck — nobody's orphan, nobody's container. Dropping the ownership makes it an orphan the fleet brings
   * back (here or elsewhere); a released one has no spec left and simply ends.
   */
  private void dropOwnershipWithoutContainer(List<ManagedContainer> mine) {
    try {
      Set<TranscoderKey> running = new HashSet<>();
      mine.forEach(c -> running.add(TranscoderKey.of(c)));
      for (TranscoderKey key : coordination.ownedHere()) {
        // Looked up again: a provision may have finished since the list this pass started with.
        if (!running.contains(key) && !transcoders.isBusy(key)
            && docker.find(key.containerName()).filter(key::matches).isEmpty()) {
          log.warn("owned here without a container: giving it back to the fleet: transcoder={}", key);
          coordination.unclaim(key);
        }
      }
    } catch (RuntimeException e) {
      log.warn("ownership not checked against Docker: error={}", e.getMessage());
    }
  }

  /** Claims what runs here (idempotent); a transcoder another host holds now was moved away: remove ours. */
  private boolean ownedHere(TranscoderKey key, ManagedContainer c) {
    try {
      java.util.Optional<String> holder = coordination.claim(key);
      if (holder.isEmpty()) {
        return true;
      }
      log.warn("removing a container whose transcoder another host holds now: transcoder={} holder={} containerId={}",
          key, holder.get(), c.id());
      transcoders.submit(key, () -> {
        ops.discardMovedAway(key, c.id());
        return null;
      });
    } catch (RuntimeException e) {
      log.warn("ownership not checked: transcoder={} error={}", key, e.getMessage()); // checked again next pass
    }
    return false;
  }
}
