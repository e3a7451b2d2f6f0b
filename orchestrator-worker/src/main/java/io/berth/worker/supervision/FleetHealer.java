package io.berth.worker.supervision;

import io.berth.events.CloudEvent;
import io.berth.events.DemandIds;
import io.berth.events.LifecycleData;
import io.berth.events.TranscoderMoved;
import io.berth.events.TranscoderStarted;
import io.berth.worker.coordination.EtcdCoordination;
import io.berth.worker.coordination.KeptTranscoder;
import io.berth.worker.docker.DockerGateway;
import io.berth.worker.messaging.LifecyclePublisher;
import io.berth.worker.provisioning.AddressProbe;
import io.berth.worker.provisioning.CapacityGate;
import io.berth.worker.provisioning.CommandRef;
import io.berth.worker.provisioning.ContainerSpecFactory;
import io.berth.worker.provisioning.KeyedExecutor;
import io.berth.worker.provisioning.TranscoderKey;
import io.berth.worker.provisioning.TranscoderOperations;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Takes over transcoders whose host died: the fleet keeps their spec, their ownership lapsed with the host's lease.
 * Each survivor with free capacity claims orphans one at a time (the claim is a transaction: one winner each) and
 * brings them back from the kept spec on the same address, then tells monitoring that they moved.
 *
 * <p>Before it takes an address it probes it on the LAN: a container still answering there (its worker died but its
 * engine did not, so nothing fenced it) would make two live containers with one address. Such an orphan waits.
 */
public final class FleetHealer implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(FleetHealer.class);
  private static final int PROBE_TIMEOUT_MS = 500;

  private final String hostId;
  private final String source;
  private final EtcdCoordination coordination;
  private final TranscoderOperations ops;
  private final KeyedExecutor transcoders;
  private final CapacityGate capacity;
  private final LifecyclePublisher publisher;
  private final Clock clock;
  private final AddressProbe probe;
  private final BooleanSupplier dockerDown;
  private final DockerGateway docker;
  private volatile Runnable afterTakeover = () -> { };

  public FleetHealer(String hostId, String source, EtcdCoordination coordination, TranscoderOperations ops,
      KeyedExecutor transcoders, CapacityGate capacity, LifecyclePublisher publisher, Clock clock, AddressProbe probe,
      BooleanSupplier dockerDown, DockerGateway docker) {
    this.docker = docker;
    this.hostId = hostId;
    this.source = source;
    this.coordination = coordination;
    this.ops = ops;
    this.transcoders = transcoders;
    this.capacity = capacity;
    this.publisher = publisher;
    this.clock = clock;
    this.probe = probe;
    this.dockerDown = dockerDown;
  }

  /** Told after a transcoder was taken over here (the demand loop reports the room's new state). */
  public void afterTakeover(Runnable listener) {
    this.afterTakeover = listener;
  }

  @Override
  public void run() {
    if (!coordination.lease().held() || dockerDown.getAsBoolean()) {
      return;
    }
    List<KeptTranscoder> orphans;
    try {
      orphans = new ArrayList<>(coordination.orphans());
    } catch (RuntimeException e) {
      log.warn("orphans not listed: error={}", e.getMessage());
      return;
    }
    Collections.shuffle(orphans); // survivors spread the work instead of all racing for the same first one
    int free = capacity.free();
    for (KeptTranscoder orphan : orphans) {
      if (free-- <= 0) {
        return;
      }
      TranscoderKey key = new TranscoderKey(orphan.tenantId(), orphan.transcoderId());
      if (transcoders.isBusy(key) || stays(key) || notCounted(orphan)) {
        continue;
      }
      transcoders.submit(key, () -> {
        adopt(key, orphan);
        return null;
      });
    }
  }

  /**
   * A crash-looped transcoder stays stopped until a command starts it, and a suspended tenant's until it is resumed:
   * the fleet keeps them as orphans and brings them back only then (a request, or the resume's next round here).
   */
  private boolean stays(TranscoderKey key) {
    try {
      return coordination.isCrashLooped(key) || coordination.isSuspended(key.tenantId());
    } catch (RuntimeException e) {
      return true; // not known now: next round
    }
  }

  /**
   * A demand transcoder its room's demand no longer counts (it was scaled down while its host was dead): not brought
   * back; the demand loop lets it go.
   */
  private boolean notCounted(KeptTranscoder orphan) {
    try {
      java.util.OptionalInt k = DemandIds.index(orphan.roomId(), orphan.transcoderId());
      return k.isPresent() && coordination.demand(orphan.tenantId(), orphan.roomId())
          .filter(d -> k.getAsInt() >= d.transcoders()).isPresent();
    } catch (RuntimeException e) {
      return true; // not known now: next round
    }
  }

  /** A demand transcoder its room's demand counts: a release of it replaced it, it did not cancel it. */
  private boolean counted(KeptTranscoder orphan) {
    java.util.OptionalInt k = DemandIds.index(orphan.roomId(), orphan.transcoderId());
    return k.isPresent() && coordination.demand(orphan.tenantId(), orphan.roomId())
        .filter(d -> k.getAsInt() < d.transcoders()).isPresent();
  }

  private void adopt(TranscoderKey key, KeptTranscoder orphan) {
    MDC.put("eventId", orphan.requestId());
    MDC.put("subject", key.toString());
    try {
      if (probe.answers(orphan.address())) {
        log.warn("not taking over: address still answers on the LAN (its old container lives): transcoder={}"
            + " address={} previousHost={}", key, orphan.address(), orphan.hostId());
        return;
      }
      CommandRef request = new CommandRef(orphan.requestId(), "TranscoderRequested", orphan.requestedAt());
      ContainerSpecFactory.Desired desired = new ContainerSpecFactory.Desired(key, orphan.roomId(), orphan.image(),
          orphan.cpus(), orphan.memoryMb());
      List<LifecycleData> events = counted(orphan) ? ops.placeForDemand(request, desired)
          : ops.provision(request, desired);
      if (events.isEmpty()) {
        return;
      }
      if (events.get(0) instanceof TranscoderStarted started && hostId.equals(started.hostId())) {
        announce(started);
        log.info("took over transcoder of lost host: transcoder={} address={} previousHost={}", key,
            started.ipAddress(), orphan.hostId());
        // One request may move many times (A to B, later back to A): the new container names this move.
        publish(orphan.requestId(), started.containerId(), new TranscoderMoved(key.tenantId(), key.transcoderId(), orphan.roomId(),
            orphan.hostId(), hostId, started.ipAddress(), TranscoderMoved.Reason.HOST_LOST));
        publish(orphan.requestId(), null, started);
        afterTakeover.run();
      } else if (!(events.get(0) instanceof TranscoderStarted)) {
        // Cancelled after its host died, or refused now (suspended tenant): the fleet lets it go.
        coordination.releaseOrphan(key);
        events.forEach(e -> publish(orphan.requestId(), null, e));
      }
    } catch (RuntimeException e) {
      log.warn("take-over not done, tried again on the next round: transcoder={} error={}", key, e.getMessage());
    } finally {
      MDC.remove("eventId");
      MDC.remove("subject");
    }
  }

  /**
   * Tells the LAN that the address has a new MAC, as keepalived does on failover (gratuitous ARP from inside the
   * container); otherwise clients keep sending to the dead container's MAC until their ARP entry goes stale.
   * Best effort: an image without arping is simply reached once the clients' caches expire.
   */
  private void announce(TranscoderStarted started) {
    try {
      long exit = docker.exec(started.containerId(), List.of("arping", "-U", "-c", "2", "-I", "eth0",
          started.ipAddress()), java.time.Duration.ofSeconds(5));
      if (exit != 0) {
        log.info("address not announced (arping exited {}): transcoder={}/{}", exit, started.tenantId(),
            started.transcoderId());
      }
    } catch (RuntimeException e) {
      log.info("address not announced: transcoder={}/{} error={}", started.tenantId(), started.transcoderId(),
          e.getMessage());
    }
  }

  private void publish(String causation, String occurrence, LifecycleData data) {
    publisher.publish(CloudEvent.lifecycle(source, causation, occurrence, clock.instant(), data));
  }
}
