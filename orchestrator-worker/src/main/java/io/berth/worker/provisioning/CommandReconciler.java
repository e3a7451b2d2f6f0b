package io.berth.worker.provisioning;

import io.berth.events.CommandData;
import io.berth.events.LifecycleData;
import io.berth.events.RoomClosed;
import io.berth.events.RoomDemandChanged;
import io.berth.events.StopReason;
import io.berth.events.TenantResumed;
import io.berth.events.TenantSuspended;
import io.berth.events.TranscoderReleased;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderRestartRequested;
import io.berth.worker.coordination.Cancellation;
import io.berth.worker.coordination.Coordination;
import io.berth.worker.coordination.Demand;
import io.berth.worker.failure.Failure;
import io.berth.worker.failure.FailureClassifier;
import io.berth.worker.failure.ShuttingDownException;
import io.berth.worker.failure.TransientRetrier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Schedules each command with the right ordering and reconciles Docker towards it. Transcoder commands run one at a
 * time per transcoder; room and tenant commands run one at a time per tenant and fan out to their transcoders.
 * Work is queued in arrival order; cancellations are recorded beside it, not behind it, so they win over a request
 * still waiting or retrying, and the work of their own command starts once they are on record; room demands are
 * recorded the same way.
 */
public final class CommandReconciler {
  private static final Logger log = LoggerFactory.getLogger(CommandReconciler.class);
  private final TranscoderOperations ops;
  private final ContainerSpecFactory specs;
  private final Coordination coordination;
  private final KeyedExecutor transcoders;
  private final KeyedExecutor tenants;
  private final Executor recording;
  private final TransientRetrier retrier;
  private final FailureClassifier classifier;
  private final Executor waits;
  private volatile Runnable onDemandRecorded = () -> { };

  /**
   * @param waits runs the commands that wait out a media server's grace period in Docker (release, room close,
   *     suspension, restart), in the same per-transcoder order: the wait holds none of the bounded threads that
   *     start transcoders. Each transcoder stops at most once at a time.
   * @param recording where commands write their intents before their work starts (see {@link #record})
   */
  public CommandReconciler(TranscoderOperations ops, ContainerSpecFactory specs, Coordination coordination,
      KeyedExecutor transcoders, KeyedExecutor tenants, Executor recording, TransientRetrier retrier,
      FailureClassifier classifier, Executor waits) {
    this.recording = recording;
    this.waits = waits;
    this.ops = ops;
    this.specs = specs;
    this.coordination = coordination;
    this.transcoders = transcoders;
    this.tenants = tenants;
    this.retrier = retrier;
    this.classifier = classifier;
  }

  /** Told after a room demand (or a room close, a demand of 0) is recorded: the convergence loop acts on it now. */
  public void onDemandRecorded(Runnable listener) {
    this.onDemandRecorded = listener;
  }

  /**
   * Completes with the lifecycle events once they are published, or fails with the permanent cause. {@code publish}
   * runs inside the transcoder's ordering slot, so the next command for it cannot overtake these events.
   */
  public CompletableFuture<List<LifecycleData>> reconcile(CommandRef command, CommandData data,
      Consumer<List<LifecycleData>> publish) {
    try {
      return dispatch(command, data, publish);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e); // recording the intent failed: the command is not done
    }
  }

  private CompletableFuture<List<LifecycleData>> dispatch(CommandRef command, CommandData data,
      Consumer<List<LifecycleData>> publish) {
    if (data instanceof TranscoderRequested r) {
      TranscoderKey key = new TranscoderKey(r.tenantId(), r.transcoderId());
      ContainerSpecFactory.Desired desired = specs.desired(key, r.roomId(), r.image(), r.resources());
      return onTranscoder(command, key, NOTHING_TO_RECORD, publish, () -> ops.provision(command, desired), NOTHING,
          null);
    }
    if (data instanceof TranscoderReleased r) {
      TranscoderKey key = new TranscoderKey(r.tenantId(), r.transcoderId());
      CompletableFuture<Void> recorded = record(command, key.toString(),
          () -> coordination.transcoderReleased(key, cancellation(command)));
      return onTranscoder(command, key, recorded, publish, () -> ops.stopForRemoval(key, StopReason.RELEASED),
          () -> ops.finishRemoval(key), waits);
    }
    if (data instanceof TranscoderRestartRequested r) {
      TranscoderKey key = new TranscoderKey(r.tenantId(), r.transcoderId());
      return onTranscoder(command, key, NOTHING_TO_RECORD, publish, () -> ops.restart(key), NOTHING, waits);
    }
    String tenant = data.tenantId();
    if (data instanceof RoomClosed r) {
      CompletableFuture<Void> recorded = record(command, tenant,
          () -> coordination.roomClosed(tenant, r.roomId(), cancellation(command)));
      recorded.thenRun(() -> onDemandRecorded.run());
      return onTenant(command, tenant, r.roomId(), recorded, publish,
          key -> ops.stopForRemoval(key, StopReason.ROOM_CLOSED), ops::finishRemoval, waits);
    }
    if (data instanceof RoomDemandChanged d) {
      // Recording the demand is the command's whole effect: placing and removing its transcoders, and the room's
      // status, are the convergence loop's work (docs/demand.md), which reads what is recorded here. No events here.
      // Demands are ordered by their command time, not by arrival, so this needs no place in any queue.
      return CompletableFuture.supplyAsync(() -> withContext(command, tenant, () -> {
        Demand standing = retrier.run(() -> coordination.demandChanged(tenant, d.roomId(),
            Demand.of(d, command.id(), command.time())));
        if (!standing.commandId().equals(command.id())) {
          log.info("demand not in force, a newer one stands: eventId={} tenantId={} roomId={} standing={} at={}",
              command.id(), tenant, d.roomId(), standing.commandId(), standing.at());
        }
        onDemandRecorded.run();
        return List.<LifecycleData>of();
      }), recording);
    }
    if (data instanceof TenantSuspended) {
      CompletableFuture<Void> recorded = record(command, tenant,
          () -> coordination.tenantSuspended(tenant, command.time()));
      return onTenant(command, tenant, null, recorded, publish, ops::suspend, key -> {}, waits);
    }
    if (data instanceof TenantResumed) {
      CompletableFuture<Void> recorded = record(command, tenant,
          () -> coordination.tenantResumed(tenant, command.time()));
      return onTenant(command, tenant, null, recorded, publish, ops::resume, key -> {}, null);
    }
    return CompletableFuture.failedFuture(new IllegalArgumentException("no handler for " + data.getClass().getSimpleName()));
  }

  /**
   * Writes a command's intent durably on the recording pool, and returns at once. The caller queues the command's
   * work right away, in arrival order, and the work starts (takes a thread) only once this is done: the broker's
   * delivery thread (one per queue) never waits for the disk or for etcd, where it held up every command behind it,
   * one sync each; recordings of many commands run side by side and share a sync. A cancellation still wins over a
   * request of its transcoder that is waiting or retrying: it is recorded beside that request's work, not behind it.
   */
  private CompletableFuture<Void> record(CommandRef command, String subject, Runnable intent) {
    return CompletableFuture.runAsync(() -> withContext(command, subject, () -> retrier.run(() -> {
      intent.run();
      return null;
    })), recording);
  }

  /**
   * {@code afterPublished} is the part of the effect that would leave nothing to report if the command came back:
   * it runs only once the events are confirmed (and only when there were events).
   *
   * @param on where the work runs (null: the bounded pool), always after earlier work of the same transcoder
   */
  private CompletableFuture<List<LifecycleData>> onTranscoder(CommandRef command, TranscoderKey key,
      CompletableFuture<Void> recorded, Consumer<List<LifecycleData>> publish, Supplier<List<LifecycleData>> work,
      Runnable afterPublished, Executor on) {
    return onKey(key, recorded, on, () -> withContext(command, key.toString(), () -> {
      // Answered before (a lost ack, a resend with the same id): the same answer again, not a new decision.
      String subject = command.type() + "/" + key.tenantId() + "/" + key.transcoderId();
      List<LifecycleData> events = retrier.run(() -> coordination.outcome(subject, command.id())).orElseGet(() -> {
        List<LifecycleData> decided = retrier.run(work);
        return decided.isEmpty() ? decided
            : retrier.run(() -> coordination.recordOutcome(subject, command.id(), decided));
      });
      publish.accept(events);
      finish(events, afterPublished);
      return events;
    }));
  }

  private void finish(List<LifecycleData> events, Runnable afterPublished) {
    if (!events.isEmpty() && afterPublished != NOTHING) {
      retrier.run(() -> {
        afterPublished.run();
        return null;
      });
    }
  }

  /** Runs per transcoder of the tenant (and room); one transcoder's permanent failure does not stop the others. */
  private CompletableFuture<List<LifecycleData>> onTenant(CommandRef command, String tenantId, String roomIdOrNull,
      CompletableFuture<Void> recorded, Consumer<List<LifecycleData>> publish,
      Function<TranscoderKey, List<LifecycleData>> perTranscoder, Consumer<TranscoderKey> afterPublished, Executor on) {
    return tenants.submit("tenant:" + tenantId, recorded, () -> withContext(command, tenantId, () -> {
      List<TranscoderKey> keys = retrier.run(() -> ops.heldHere(tenantId, roomIdOrNull));
      List<CompletableFuture<List<LifecycleData>>> parts = keys.stream()
          .map(key -> onKey(key, NOTHING_TO_RECORD, on, () -> withContext(command, key.toString(), () -> {
            List<LifecycleData> events;
            boolean done;
            try {
              events = retrier.run(() -> perTranscoder.apply(key));
              done = true;
            } catch (ShuttingDownException e) {
              throw e;
            } catch (RuntimeException e) {
              Failure f = classifier.classify(e);
              events = List.of(ops.failed(key, f.code(), f.message(), f.retriable()));
              done = false;
            }
            publish.accept(events);
            if (done) {
              finish(events, () -> afterPublished.accept(key));
            }
            return events;
          })))
          .toList();
      List<LifecycleData> events = new ArrayList<>();
      for (CompletableFuture<List<LifecycleData>> part : parts) {
        events.addAll(part.join());
      }
      return events;
    }));
  }

  /** In the transcoder's order; holds a thread only once {@code after} (its recording) is done. */
  private <T> CompletableFuture<T> onKey(TranscoderKey key, CompletableFuture<Void> after, Executor on,
      Supplier<T> task) {
    return on == null ? transcoders.submit(key, after, task) : transcoders.submit(key, after, task, on);
  }

  private static final Runnable NOTHING = () -> {};
  private static final CompletableFuture<Void> NOTHING_TO_RECORD = CompletableFuture.completedFuture(null);

  private static Cancellation cancellation(CommandRef command) {
    return new Cancellation(command.id(), command.type(), command.time());
  }

  /** Every log line written while carrying out a command names it. */
  private static <T> T withContext(CommandRef command, String subject, Supplier<T> work) {
    MDC.put("eventId", command.id());
    MDC.put("commandType", command.type());
    MDC.put("subject", subject);
    try {
      return work.get();
    } finally {
      MDC.remove("eventId");
      MDC.remove("commandType");
      MDC.remove("subject");
    }
  }
}
