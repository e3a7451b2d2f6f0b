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
 * Cancellations are recorded before a release's or room close's work is queued, on a stage of their own, so they win
 * over a request still waiting or retrying; room demands are recorded the same way.
 */
public final class CommandReconciler {
  private static final Logger log = LoggerFactory.getLogger(CommandReconciler.class);
  private final TranscoderOperations ops;
  private final ContainerSpecFactory specs;
  private final Coordination coordination;
  private final KeyedExecutor transcoders;
  private final KeyedExecutor tenants;
  private final KeyedExecutor recording;
  private final TransientRetrier retrier;
  private final FailureClassifier classifier;
  private final Executor waits;
  private volatile Runnable onDemandRecorded = () -> { };

  /**
   * @param waits runs the commands that wait out a media server's grace period in Docker (release, room close,
   *     suspension, restart), in the same per-transcoder order: the wait holds none of the bounded threads that
   *     start transcoders. Sized to the host's capacity, since each transcoder stops at most once at a time.
   * @param recording where commands record their intents first, in order per key (see {@link #recorded})
   */
  public CommandReconciler(TranscoderOperations ops, ContainerSpecFactory specs, Coordination coordination,
      KeyedExecutor transcoders, KeyedExecutor tenants, KeyedExecutor recording, TransientRetrier retrier,
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
      return recorded(command, key, NO_INTENT,
          () -> onTranscoder(command, key, publish, () -> ops.provision(command, desired), NOTHING, null));
    }
    if (data instanceof TranscoderReleased r) {
      TranscoderKey key = new TranscoderKey(r.tenantId(), r.transcoderId());
      return recorded(command, key, () -> coordination.transcoderReleased(key, cancellation(command)),
          () -> onTranscoder(command, key, publish, () -> ops.stopForRemoval(key, StopReason.RELEASED),
              () -> ops.finishRemoval(key), waits));
    }
    if (data instanceof TranscoderRestartRequested r) {
      TranscoderKey key = new TranscoderKey(r.tenantId(), r.transcoderId());
      return recorded(command, key, NO_INTENT,
          () -> onTranscoder(command, key, publish, () -> ops.restart(key), NOTHING, waits));
    }
    String tenant = data.tenantId();
    if (data instanceof RoomClosed r) {
      return recorded(command, tenantKey(tenant), () -> coordination.roomClosed(tenant, r.roomId(), cancellation(command)),
          () -> {
            onDemandRecorded.run();
            return onTenant(command, tenant, r.roomId(), publish, key -> ops.stopForRemoval(key, StopReason.ROOM_CLOSED),
                ops::finishRemoval, waits);
          });
    }
    if (data instanceof RoomDemandChanged d) {
      // Recording the demand is the command's whole effect: placing and removing its transcoders, and the room's
      // status, are the convergence loop's work (docs/demand.md), which reads what is recorded here. No events here.
      return recorded(command, tenantKey(tenant), NO_INTENT, () -> {
        Demand standing = retrier.run(() -> coordination.demandChanged(tenant, d.roomId(),
            Demand.of(d, command.id(), command.time())));
        if (!standing.commandId().equals(command.id())) {
          log.info("demand not in force, a newer one stands: eventId={} tenantId={} roomId={} standing={} at={}",
              command.id(), tenant, d.roomId(), standing.commandId(), standing.at());
        }
        onDemandRecorded.run();
        return CompletableFuture.completedFuture(List.of());
      });
    }
    if (data instanceof TenantSuspended) {
      return recorded(command, tenantKey(tenant), () -> coordination.tenantSuspended(tenant, command.time()),
          () -> onTenant(command, tenant, null, publish, ops::suspend, key -> {}, waits));
    }
    if (data instanceof TenantResumed) {
      return recorded(command, tenantKey(tenant), () -> coordination.tenantResumed(tenant, command.time()),
          () -> onTenant(command, tenant, null, publish, ops::resume, key -> {}, null));
    }
    return CompletableFuture.failedFuture(new IllegalArgumentException("no handler for " + data.getClass().getSimpleName()));
  }

  /**
   * The recording stage every command passes first, one at a time per key (its transcoder, or its tenant) on the
   * recording pool: its intent, if it has one, is written durably, then its work is queued, so work follows arrival
   * order per key. Not on the caller's thread, which is the broker's single delivery thread of the queue: a write
   * waiting for the disk (or for etcd) there held up every command behind it, one sync each; here recordings of
   * different keys run side by side and share a sync. A cancellation still wins over a request of its transcoder that
   * is waiting or retrying: that request holds the transcoder's work, not its recording.
   */
  private CompletableFuture<List<LifecycleData>> recorded(CommandRef command, Object key, Runnable intent,
      Supplier<CompletableFuture<List<LifecycleData>>> work) {
    return recording.submit(key, () -> withContext(command, key.toString(), () -> {
      if (intent != NO_INTENT) {
        retrier.run(() -> {
          intent.run();
          return null;
        });
      }
      return work.get();
    })).thenCompose(queued -> queued);
  }

  private static String tenantKey(String tenantId) {
    return "tenant:" + tenantId;
  }

  /**
   * {@code afterPublished} is the part of the effect that would leave nothing to report if the command came back:
   * it runs only once the events are confirmed (and only when there were events).
   *
   * @param on where the work runs (null: the bounded pool), always after earlier work of the same transcoder
   */
  private CompletableFuture<List<LifecycleData>> onTranscoder(CommandRef command, TranscoderKey key,
      Consumer<List<LifecycleData>> publish, Supplier<List<LifecycleData>> work, Runnable afterPublished,
      Executor on) {
    return onKey(key, on, () -> withContext(command, key.toString(), () -> {
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
      Consumer<List<LifecycleData>> publish, Function<TranscoderKey, List<LifecycleData>> perTranscoder,
      Consumer<TranscoderKey> afterPublished, Executor on) {
    return tenants.submit("tenant:" + tenantId, () -> withContext(command, tenantId, () -> {
      List<TranscoderKey> keys = retrier.run(() -> ops.heldHere(tenantId, roomIdOrNull));
      List<CompletableFuture<List<LifecycleData>>> parts = keys.stream()
          .map(key -> onKey(key, on, () -> withContext(command, key.toString(), () -> {
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

  private <T> CompletableFuture<T> onKey(TranscoderKey key, Executor on, Supplier<T> task) {
    return on == null ? transcoders.submit(key, task) : transcoders.submit(key, task, on);
  }

  private static final Runnable NOTHING = () -> {};
  private static final Runnable NO_INTENT = () -> {};

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
