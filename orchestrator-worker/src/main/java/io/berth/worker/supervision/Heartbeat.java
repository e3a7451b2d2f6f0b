package io.berth.worker.supervision;

import io.berth.events.CloudEvent;
import io.berth.events.WorkerHeartbeat;
import io.berth.worker.messaging.LifecyclePublisher;
import io.berth.worker.provisioning.CapacityGate;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes capacity, running and free for the autoscaler. Cheap: counts the worker already keeps. */
public final class Heartbeat implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private final String hostId;
  private final String source;
  private final CapacityGate capacity;
  private final LifecyclePublisher publisher;
  private final Clock clock;

  public Heartbeat(String hostId, String source, CapacityGate capacity, LifecyclePublisher publisher, Clock clock) {
    this.hostId = hostId;
    this.source = source;
    this.capacity = capacity;
    this.publisher = publisher;
    this.clock = clock;
  }

  @Override
  public void run() {
    try {
      publisher.publish(CloudEvent.lifecycle(source, null, clock.instant(),
          new WorkerHeartbeat(hostId, capacity.capacity(), capacity.held(), capacity.free())));
    } catch (RuntimeException e) {
      log.warn("heartbeat not published: error={}", e.getMessage()); // the next one will be
    }
  }
}
