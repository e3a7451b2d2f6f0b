package io.berth.worker.supervision;

import io.berth.events.CloudEvent;
import io.berth.events.ContainerCrashed;
import io.berth.events.LifecycleData;
import io.berth.events.ProvisioningFailed;
import io.berth.events.TranscoderRestarted;
import io.berth.worker.docker.DockerGateway;
import io.berth.worker.docker.Labels;
import io.berth.worker.docker.ManagedContainer;
import io.berth.worker.messaging.LifecyclePublisher;
import io.berth.worker.metrics.TranscoderMetrics;
import io.berth.worker.provisioning.KeyedExecutor;
import io.berth.worker.provisioning.TranscoderKey;
import io.berth.worker.provisioning.TranscoderOperations;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a container's unexpected exit into {@code ContainerCrashed}, then a backoff restart in place
 * ({@code TranscoderRestarted}, cause crashed) or, past the policy's limit, {@code ProvisioningFailed} code
 * {@code crash-loop} with the container left stopped for inspection. Crash handling runs in the transcoder's own
 * ordering slot, so it never races a command for the same transcoder and never touches another one.
 */
public final class Supervisor {
  private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
  public static final String CRASH_LOOP = "crash-loop";

  private final String hostId;
  private final String source;
  private final DockerGateway docker;
  private final TranscoderOperations ops;
  private final KeyedExecutor transcoders;
  private final CrashTracker tracker;
  private final Intents intents;
  private final LifecyclePublisher publisher;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Set<String> oomKilled = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.Executor crashes;
  private final java.util.concurrent.Executor restarts;
  /**
   * Supervision's events go out in order on one thread, each retried until the broker takes it (bounded): a crash is
   * acted on at once, and reported when the broker can hear it, never dropped and never counted twice for it.
   */
  private final java.util.concurrent.ExecutorService outbox = java.util.concurrent.Executors.newSingleThreadExecutor(
      r -> {
        Thread t = new Thread(r, "berth-supervision-outbox");
        t.setDaemon(true);
        return t;
      });
  private final io.berth.worker.messaging.PublishRetry retry = io.berth.worker.messaging.PublishRetry.standard();
  private final TranscoderMetrics metrics;

  public Supervisor(String hostId, String source, DockerGateway docker, TranscoderOperations ops,
      KeyedExecutor transcoders, CrashTracker tracker, Intents intents, LifecyclePublisher publisher,
      ScheduledExecutorService scheduler, Clock clock, java.util.concurrent.Executor crashes,
      java.util.concurrent.Executor restarts, io.micrometer.core.instrument.MeterRegistry registry) {
    this.metrics = new TranscoderMetrics(registry);
    this.crashes = crashes;
    this.restarts = restarts;
    this.hostId = hostId;
    this.source = source;
    this.docker = docker;
    this.ops = ops;
    this.transcoders = transcoders;
    this.tracker = tracker;
    this.intents = intents;
    this.publisher = publisher;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /** An OOM kill announces itself before the die that follows. */
  public void oomKilled(String containerId) {
    oomKilled.add(containerId);
  }

  /**
   * A container of this host exited (seen by the event stream, or by a reconcile pass that found what the stream
   * missed); whether it crashed is decided here, in the transcoder's slot.
   */
  public void exited(TranscoderKey key, String containerId) {
    if (intents.exitWasExpected(containerId)) {
      oomKilled.remove(containerId);
      return;
    }
    // Decided on a thread of its own so ContainerCrashed never waits for busy command threads; when a command is
    // working on this transcoder right now, the decision waits for it instead (it may be removing the container).
    try {
      crashes.execute(() -> {
        if (transcoders.isBusy(key)) {
          transcoders.submit(key, () -> {
            handleCrash(key, containerId);
            return null;
          }, restarts).exceptionally(error -> logFailure(key, containerId, error));
        } else {
          try {
            handleCrash(key, containerId);
          } catch (RuntimeException e) {
            logFailure(key, containerId, e);
          }
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // shutting down: the next worker's reconcile pass finds the exit
    }
  }

  private Void logFailure(TranscoderKey key, String containerId, Throwable error) {
    log.error("crash handling failed: transcoder={} containerId={} error={}", key, containerId, error.toString());
    return null;
  }

  private void handleCrash(TranscoderKey key, String containerId) {
    boolean oomSeen = oomKilled.remove(containerId); // consumed on every path, so no flag outlives its crash
    Optional<ManagedContainer> found = docker.find(containerId);
    if (found.isEmpty() && intents.wasSeenRunning(key) && !intents.leaveStopped(key)) {
      ops.removedOutside(key).forEach(event -> publish(null, null, event));
      return;
    }
    if (found.isEmpty() || found.get().isRunning() || !hostId.equals(found.get().hostId())
        || intents.leaveStopped(found.get())) {
      return; // removed, already back, not ours, or stopped on purpose (by this worker or an earlier one)
    }
    ManagedContainer c = found.get();
    boolean oom = c.oomKilled() | oomSeen;
    int restartsSoFar = tracker.restartCount(key);
    CrashTracker.Decision decision = tracker.onCrash(key);
    boolean willRestart = decision instanceof CrashTracker.Decision.Restart;
    metrics.crashed(oom);
    log.warn("transcoder crashed: transcoder={} containerId={} exitCode={} oomKilled={} willRestart={}", key,
        containerId, c.exitCode(), oom, willRestart);
    String causation = c.label(Labels.REQUEST).isEmpty() ? null : c.label(Labels.REQUEST);
    // One request causes every crash of its transcoder: the run that ended tells them apart, across worker restarts.
    String run = c.startedAt();
    // Decide and act first, report after: the report may wait for the broker, the restart must not.
    if (decision instanceof CrashTracker.Decision.Restart restart) {
      intents.restartScheduled(key);
      publish(causation, run, new ContainerCrashed(key.tenantId(), key.transcoderId(), hostId, containerId, c.exitCode(),
          oom, restartsSoFar, true));
      scheduler.schedule(() -> transcoders.submit(key, () -> {
        if (!intents.restartDue(key) || intents.leaveStopped(c)) {
          return null; // removed, released, suspended or given up on while the backoff ran: nothing to restart or say
        }
        try {
          List<LifecycleData> events = ops.restartCrashed(key, containerId, restart.restartCount());
          events.stream().filter(TranscoderRestarted.class::isInstance)
              .forEach(event -> metrics.restarted(((TranscoderRestarted) event).cause()));
          if (events.isEmpty()) {
            events = ops.removedOutside(key); // gone while we waited to restart it (docker rm -f)
          }
          events.forEach(event -> publish(causation, run, event));
        } catch (RuntimeException e) {
          // It died again while starting: its next die event comes through here.
          log.warn("restart after crash failed: transcoder={} error={}", key, e.getMessage());
        }
        return null;
      }, restarts), restart.delay().toMillis(), TimeUnit.MILLISECONDS);
    } else {
      CrashTracker.Decision.GiveUp giveUp = (CrashTracker.Decision.GiveUp) decision;
      metrics.crashLooped();
      intents.crashLooped(key);
      publish(causation, run, new ContainerCrashed(key.tenantId(), key.transcoderId(), hostId, containerId, c.exitCode(),
          oom, restartsSoFar, false));
      publish(causation, run, new ProvisioningFailed(key.tenantId(), key.transcoderId(), hostId, CRASH_LOOP,
          "crashed " + giveUp.crashes() + " times within the restart window (last exit code " + c.exitCode()
              + "); left stopped for inspection", false));
    }
  }

  private void publish(String causation, String occurrence, LifecycleData data) {
    CloudEvent<LifecycleData> event = CloudEvent.lifecycle(source, causation, occurrence, clock.instant(), data);
    try {
      outbox.execute(() -> {
        try {
          retry.run(event.type(), () -> publisher.publish(event));
        } catch (RuntimeException e) {
          log.error("supervision event lost after retries: type={} eventId={} error={}", event.type(), event.id(),
              e.getMessage());
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      log.warn("supervision event not sent, worker stopping: type={} eventId={}", event.type(), event.id());
    }
  }

  /** Stops the outbox: what is queued is dropped (the next worker's reconcile pass finds the exits again). */
  public void close() {
    outbox.shutdownNow();
  }
}
