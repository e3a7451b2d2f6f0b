package io.berth.worker.supervision;

import io.berth.worker.docker.CachingDockerGateway;
import io.berth.worker.docker.ContainerEvent;
import io.berth.worker.docker.DockerGateway;
import io.berth.worker.docker.Labels;
import io.berth.worker.provisioning.TranscoderKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows Docker's event stream for this host's containers. The stream is known to fall silent or time out on idle
 * connections: whenever it ends, the watcher subscribes again from the last event it saw (Docker replays what came
 * since) and asks for a reconcile pass to catch anything the gap hid.
 */
public final class EventWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventWatcher.class);
  private static final Duration RESUBSCRIBE_DELAY = Duration.ofSeconds(1);

  private final DockerGateway docker;
  private final CachingDockerGateway copy;
  private final String hostId;
  private final Map<String, String> labels;
  private final Supervisor supervisor;
  private final Runnable reconcile;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private volatile Instant since;
  private volatile Instant lastSubscribed = Instant.EPOCH;
  private volatile AutoCloseable subscription;
  private volatile boolean closed;

  /**
   * @param copy the informer this stream keeps current: every Berth container's events, of any host on the engine, reach
   *     it before the supervisor hears of this host's
   */
  public EventWatcher(DockerGateway docker, CachingDockerGateway copy, String hostId, Supervisor supervisor,
      Runnable reconcile, ScheduledExecutorService scheduler, Clock clock) {
    this.docker = docker;
    this.copy = copy;
    this.hostId = hostId;
    this.labels = Map.of(Labels.MANAGED, "true");
    this.supervisor = supervisor;
    this.reconcile = reconcile;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  public void start() {
    since = clock.instant();
    subscribe();
  }

  private synchronized void subscribe() {
    if (closed) {
      return;
    }
    try {
      // From the last event seen, or the last subscription if it has been quiet: an idle host must not replay old
      // events on every timeout. What a silent stream swallowed, the reconcile pass after it finds.
      Instant from = since.isAfter(lastSubscribed) ? since : lastSubscribed;
      lastSubscribed = clock.instant();
      // A second of overlap: Docker's "since" has whole-second resolution; repeats are harmless (exits are checked).
      subscription = docker.subscribe(labels, from.minusSeconds(1), this::onEvent, this::onEnd);
      copy.streamStarted();
    } catch (RuntimeException e) {
      log.warn("docker event subscription failed, retrying: error={}", e.getMessage());
      scheduler.schedule(this::subscribe, RESUBSCRIBE_DELAY.toMillis() * 2, TimeUnit.MILLISECONDS);
    }
  }

  private void onEvent(ContainerEvent event) {
    if (event.time().isAfter(since)) {
      since = event.time();
    }
    copy.observe(event);
    if (!hostId.equals(event.label(Labels.HOST))) {
      return; // another worker's on this engine: the copy needed it, the supervisor does not
    }
    String tenant = event.label(Labels.TENANT);
    String transcoder = event.label(Labels.TRANSCODER);
    if (tenant.isEmpty() || transcoder.isEmpty()) {
      return;
    }
    TranscoderKey key = new TranscoderKey(tenant, transcoder);
    switch (event.action()) {
      case "oom" -> supervisor.oomKilled(event.containerId());
      case "die" -> supervisor.exited(key, event.containerId());
      default -> { }
    }
  }

  private void onEnd(Throwable error) {
    copy.streamEnded();
    if (closed) {
      return;
    }
    log.info("docker event stream ended, resubscribing: error={}", error == null ? "none" : error.toString());
    scheduler.schedule(() -> {
      subscribe();
      reconcile.run();
    }, RESUBSCRIBE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (subscription != null) {
      try {
        subscription.close();
      } catch (Exception ignored) {
        // closing anyway
      }
    }
  }
}
