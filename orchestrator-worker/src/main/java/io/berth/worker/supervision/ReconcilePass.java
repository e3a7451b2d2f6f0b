package io.berth.worker.supervision;

import io.berth.worker.docker.DockerGateway;
import io.berth.worker.docker.ManagedContainer;
import io.berth.worker.provisioning.CapacityGate;
import io.berth.worker.provisioning.KeyedExecutor;
import io.berth.worker.provisioning.TranscoderKey;
import io.berth.worker.provisioning.TranscoderOperations;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares Docker's labelled containers with what the worker holds, with one list call: adopts what runs (after a
 * worker restart), removes containers created but never started by a worker that died mid-provision, and hands exits
 * nobody reported to the supervisor. Idempotent; skips any transcoder a command is working on.
 */
public final class ReconcilePass implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ReconcilePass.class);
  /** Exit codes of a stop Berth asked for (SIGTERM handled, or not): not crashes when no memory says otherwise. */
  private static final Set<Integer> STOP_EXIT_CODES = Set.of(0, 143);

  private final String hostId;
  private final DockerGateway docker;
  private final TranscoderOperations ops;
  private final KeyedExecutor transcoders;
  private final CapacityGate capacity;
  private final Supervisor supervisor;
  private final Intents intents;
  private Set<String> createdLastPass = Set.of();

  public ReconcilePass(String hostId, DockerGateway docker, TranscoderOperations ops, KeyedExecutor transcoders,
      CapacityGate capacity, Supervisor supervisor, Intents intents) {
    this.hostId = hostId;
    this.docker = docker;
    this.ops = ops;
    this.transcoders = transcoders;
    this.capacity = capacity;
    this.supervisor = supervisor;
    this.intents = intents;
  }

  @Override
  public synchronized void run() {
    List<ManagedContainer> mine;
    try {
      mine = docker.listManaged().stream().filter(c -> hostId.equals(c.hostId())).toList();
    } catch (RuntimeException e) {
      log.warn("reconcile pass skipped: error={}", e.getMessage());
      return;
    }
    capacity.resetHeld(mine.stream().map(ReconcilePass::key).distinct().toList());
    Set<String> created = new HashSet<>();
    for (ManagedContainer c : mine) {
      TranscoderKey key = key(c);
      if (transcoders.isBusy(key)) {
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
          if (!intents.leaveStopped(key) && !STOP_EXIT_CODES.contains(c.exitCode())) {
            supervisor.exited(key, c.id());
          }
        }
        default -> { }
      }
    }
    createdLastPass = created;
  }

  private static TranscoderKey key(ManagedContainer c) {
    return new TranscoderKey(c.tenantId(), c.transcoderId());
  }
}
