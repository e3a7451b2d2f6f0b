package io.berth.worker.supervision;

import io.berth.events.CloudEvent;
import io.berth.events.WorkerHeartbeat;
import io.berth.worker.messaging.LifecyclePublisher;
import io.berth.worker.provisioning.CapacityGate;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes capacity, running and free for the autoscaler: free is the smaller of free slots and free addresses. */
public final class Heartbeat implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private final String hostId;
  private final String source;
  private final CapacityGate capacity;
  private final java.util.function.IntSupplier addressesLeft;
  private final LifecyclePublisher publisher;
  private final Clock clock;

  /** @param addressesLeft free addresses of the range now: a host with slots but no address has no room either */
  public Heartbeat(String hostId, String source, CapacityGate capacity, java.util.function.IntSupplier addressesLeft,
      LifecyclePublisher publisher, Clock clock) {
    this.addressesLeft = addressesLeft;
    this.hostId = hostId;
    this.source = source;
    this.capacity = capacity;
    this.publisher = publisher;
    this.clock = clock;
  }

  @Override
  public void run() {
    try {
      int free = capacity.free();
      try {
        free = Math.min(free, addressesLeft.getAsInt());
      } catch (RuntimeException e) {
        log.debug("addresses not counted for the heartbeat: error={}", e.getMessage()); // Docker down: slots only
      }
      publisher.publish(CloudEvent.lifecycle(source, null, clock.instant(),
          new WorkerHeartbeat(hostId, capacity.capacity(), capacity.held(), free)));
    } catch (RuntimeException e) {
      log.warn("heartbeat not published: error={}", e.getMessage()); // the next one will be
    }
  }
}
