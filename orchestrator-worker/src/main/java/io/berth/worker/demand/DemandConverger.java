package io.berth.worker.demand;

import io.berth.events.CloudEvent;
import io.berth.events.DemandIds;
import io.berth.events.LifecycleData;
import io.berth.events.RoomDemandChanged;
import io.berth.events.RoomDemandStatus;
import io.berth.events.StopReason;
import io.berth.events.TranscoderStopped;
import io.berth.worker.coordination.Coordination;
import io.berth.worker.coordination.Demand;
import io.berth.worker.coordination.RoomCounts;
import io.berth.worker.coordination.RoomDemand;
import io.berth.worker.coordination.RoomReport;
import io.berth.worker.docker.ManagedContainer;
import io.berth.worker.failure.ProvisioningException;
import io.berth.worker.messaging.LifecyclePublisher;
import io.berth.worker.provisioning.CommandRef;
import io.berth.worker.provisioning.ContainerSpecFactory;
import io.berth.worker.provisioning.KeyedExecutor;
import io.berth.worker.provisioning.NoCapacityException;
import io.berth.worker.provisioning.RequestPolicy;
import io.berth.worker.provisioning.TranscoderKey;
import io.berth.worker.provisioning.TranscoderOperations;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Makes every recorded room demand true (docs/demand.md). Runs on every worker, in both modes, every few seconds and
 * whenever nudged (a demand recorded, a slot freed, a transcoder taken over). It keeps no state of its own: each pass
 * reads the demands ({@link Coordination#demands()}) and where the rooms' transcoders are ({@link DemandPlacements}),
 * so a restarted worker converges by running again. Per room:
 * <ol>
 *   <li>scale down: ids with k ≥ demand held here are removed, the highest k first, by this host (the holder);
 *       orphans with k ≥ demand are let go by whichever host gets there first;
 *   <li>scale up: the lowest missing ids, as many as this host has free slots for, each claimed fleet-wide (one
 *       winner); what no host can take stays pending — nothing is dead-lettered, nothing waits on a command;
 *   <li>report: the room's desired/running/pending, once settled, by the one host whose write wins
 *       ({@link Coordination#reportDue}).
 * </ol>
 */
public final class DemandConverger implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(DemandConverger.class);
  /** How long a room's new state must hold before it is reported: a host with a free slot claims what one could not. */
  public static final Duration SETTLE = Duration.ofSeconds(2);
  /** A report published but not confirmed for this long is published again (same id): its publisher died. */
  public static final Duration REPUBLISH_AFTER = Duration.ofSeconds(10);

  /** Totals over the rooms of the last pass, for the gauges. */
  public record Totals(int desired, int running, int pending) {
    static final Totals NONE = new Totals(0, 0, 0);

    Totals plus(RoomCounts c) {
      return new Totals(desired + c.desired(), running + c.running(), pending + c.pending());
    }
  }

  private final String hostId;
  private final String source;
  private final Coordination coordination;
  private final DemandPlacements placements;
  private final TranscoderOperations ops;
  private final ContainerSpecFactory specs;
  private final KeyedExecutor transcoders;
  /** Where removals wait out the grace period: not on the bounded pool that places transcoders. */
  private final Executor waits;
  private final IntSupplier freeSlots;
  private final BooleanSupplier mayAct;
  private final BooleanSupplier fit;
  private final RequestPolicy policy;
  private final LifecyclePublisher publisher;
  private final Clock clock;
  private final Executor nudges;
  private final AtomicBoolean nudged = new AtomicBoolean();
  private final AtomicBoolean passing = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  /** Rooms whose scale-down chain is still running here: an in-flight marker, as {@link KeyedExecutor#isBusy} is. */
  private final Set<String> scalingDown = ConcurrentHashMap.newKeySet();
  private volatile Totals totals = Totals.NONE;

  /**
   * @param freeSlots slots this host could fill now (capacity and addresses)
   * @param mayAct    whether this host may act now at all: Docker up, in contact with the fleet, not stopping
   * @param fit       whether it may take new transcoders ({@code HostFitness}): an unfit host still scales down
   * @param nudges    where a nudge runs a pass (coalesced: one queued at most)
   */
  public DemandConverger(String hostId, String source, Coordination coordination, DemandPlacements placements,
      TranscoderOperations ops, ContainerSpecFactory specs, KeyedExecutor transcoders, IntSupplier freeSlots,
      BooleanSupplier mayAct, BooleanSupplier fit, RequestPolicy policy, LifecyclePublisher publisher, Clock clock, Executor nudges,
      Executor waits) {
    this.waits = waits;
    this.hostId = hostId;
    this.source = source;
    this.coordination = coordination;
    this.placements = placements;
    this.ops = ops;
    this.specs = specs;
    this.transcoders = transcoders;
    this.freeSlots = freeSlots;
    this.mayAct = mayAct;
    this.fit = fit;
    this.policy = policy;
    this.publisher = publisher;
    this.clock = clock;
    this.nudges = nudges;
  }

  /** Runs a pass soon; nudges that arrive while one is queued are the same pass. */
  public void nudge() {
    if (nudged.compareAndSet(false, true)) {
      try {
        nudges.execute(() -> {
          nudged.set(false);
          run();
        });
      } catch (RejectedExecutionException shuttingDown) {
        nudged.set(false);
      }
    }
  }

  public Totals totals() {
    return totals;
  }

  /** One pass at a time; a call during a pass makes that pass run once more instead of blocking its thread. */
  @Override
  public void run() {
    if (!passing.compareAndSet(false, true)) {
      again.set(true);
      return;
    }
    try {
      do {
        again.set(false);
        try {
          pass();
        } catch (RuntimeException e) {
          log.warn("demand pass not done, the next one tries again: error={}", e.getMessage());
        }
      } while (again.get());
    } finally {
      passing.set(false);
    }
  }

  private void pass() {
    if (!mayAct.getAsBoolean()) {
      return; // Docker down, or cut off from the fleet: another host converges, or this one later
    }
    List<RoomDemand> demands = new ArrayList<>(coordination.demands());
    if (demands.isEmpty()) {
      totals = Totals.NONE;
      return;
    }
    Collections.shuffle(demands); // hosts spread over the rooms instead of all racing for the same first id
    DemandPlacements.Snapshot snapshot = placements.read();
    int budget = fit.getAsBoolean() ? freeSlots.getAsInt() : 0;
    Totals sum = Totals.NONE;
    java.util.Map<String, Boolean> suspended = new java.util.HashMap<>();
    for (RoomDemand room : demands) {
      try {
        if (suspended.computeIfAbsent(room.tenantId(), coordination::isSuspended)) {
          continue; // nothing placed or removed for a suspended tenant; its demand waits for the resume
        }
        List<Placed> placed = snapshot.placed(room.tenantId(), room.roomId());
        scaleDown(room, placed);
        budget -= scaleUp(room, placed, budget);
        RoomCounts counts = counts(room.demand(), placed);
        sum = sum.plus(counts);
        report(room, counts);
      } catch (RuntimeException e) {
        log.warn("room not converged this pass: tenantId={} roomId={} error={}", room.tenantId(), room.roomId(),
            e.getMessage());
      }
    }
    totals = sum;
  }

  /** desired = N; running = demand transcoders running (any k); pending = k &lt; N that no live host holds. */
  static RoomCounts counts(Demand demand, List<Placed> placed) {
    int n = demand.transcoders();
    int running = (int) placed.stream().filter(Placed::running).count();
    Set<Integer> held = new HashSet<>();
    placed.stream().filter(p -> !p.orphaned()).forEach(p -> held.add(p.k()));
    int pending = 0;
    for (int k = 0; k < n; k++) {
      if (!held.contains(k)) {
        pending++;
      }
    }
    return new RoomCounts(n, Math.min(running, io.berth.events.Contract.MAX_ROOM_TRANSCODERS), pending);
  }

  private void scaleDown(RoomDemand room, List<Placed> placed) {
    int n = room.demand().transcoders();
    List<Placed> excess = placed.stream().filter(p -> p.k() >= n)
        .sorted(Comparator.comparingInt(Placed::k).reversed()).toList();
    for (Placed p : excess) {
      if (p.orphaned() && coordination.releaseOrphan(p.key())) {
        // Its host died and the demand no longer counts it: let it go rather than bring it back.
        log.info("scaled down an orphan: transcoder={} k={} demand={}", p.key(), p.k(), n);
        boolean closed = io.berth.events.EventType.ROOM_CLOSED.typeName().equals(room.demand().commandType());
        publish(room.demand().commandId(), closed ? null : p.containerId().orElse(null), new TranscoderStopped(
            p.key().tenantId(), p.key().transcoderId(), hostId, closed ? StopReason.ROOM_CLOSED
            : StopReason.SCALED_DOWN, true));
      }
    }
    List<Placed> mine = excess.stream().filter(p -> p.holder().filter(hostId::equals).isPresent()).toList();
    String roomKey = room.tenantId() + "/" + room.roomId();
    if (mine.isEmpty() || !scalingDown.add(roomKey)) {
      return;
    }
    // One after another, highest k first: the newest goes first, as the contract says.
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (Placed p : mine) {
      chain = chain.thenCompose(x -> transcoders.<Void>submit(p.key(), () -> {
        removeIfNotCounted(room, p);
        return null;
      }, waits)).exceptionally(e -> {
        log.warn("scale-down not done, tried again on the next pass: transcoder={} error={}", p.key(), e.getMessage());
        return null;
      });
    }
    chain.whenComplete((x, e) -> scalingDown.remove(roomKey));
  }

  private void removeIfNotCounted(RoomDemand room, Placed p) {
    // The demand read again now: one recorded since the pass read it may count this id again.
    Optional<Demand> now = coordination.demand(room.tenantId(), room.roomId());
    if (now.isEmpty() || p.k() < now.get().transcoders()) {
      return;
    }
    withContext(now.get().commandId(), p.key(), () -> {
      // Under a room close the close's own fan-out removes the room's transcoders (room-closed); whichever of the two
      // gets to one first reports it, with the same event, and the other finds nothing left.
      boolean closed = io.berth.events.EventType.ROOM_CLOSED.typeName().equals(now.get().commandType());
      // Two removals of one id under one demand (a release replaced it in between) are two events: the container
      // names the removal.
      String occurrence = closed ? null
          : ops.findHeldHere(p.key()).map(ManagedContainer::id).or(p::containerId).orElse(null);
      List<LifecycleData> events = ops.stopForRemoval(p.key(), closed ? StopReason.ROOM_CLOSED
          : StopReason.SCALED_DOWN);
      events.forEach(e -> publish(now.get().commandId(), occurrence, e));
      if (!events.isEmpty()) {
        ops.finishRemoval(p.key());
        log.info("scaled down: transcoder={} k={} demand={}", p.key(), p.k(), now.get().transcoders());
      }
    });
  }

  /** @return how many placements were started (slots this pass promised away) */
  private int scaleUp(RoomDemand room, List<Placed> placed, int budget) {
    Demand demand = room.demand();
    if (budget <= 0 || demand.transcoders() == 0) {
      return 0;
    }
    Set<Integer> taken = new HashSet<>();
    placed.forEach(p -> taken.add(p.k())); // an orphan is FleetHealer's: it comes back on its address, counted once
    try {
      policy.check(new RoomDemandChanged(room.tenantId(), room.roomId(), demand.transcoders(), demand.image(),
          demand.resources()));
    } catch (ProvisioningException notHere) {
      return 0; // this host's allow-list or maximums refuse it: hosts that allow it place it
    }
    int started = 0;
    for (int k = 0; k < demand.transcoders() && started < budget; k++) {
      if (taken.contains(k)) {
        continue;
      }
      TranscoderKey key = new TranscoderKey(room.tenantId(), DemandIds.transcoderId(room.roomId(), k));
      if (transcoders.isBusy(key)) {
        continue; // being placed or removed here already
      }
      started++;
      int index = k;
      transcoders.submit(key, () -> {
        place(room, index, key);
        return null;
      });
    }
    return started;
  }

  private void place(RoomDemand room, int k, TranscoderKey key) {
    // The demand read again now: one recorded since the pass read it may not count this id any more.
    Optional<Demand> now;
    try {
      now = coordination.demand(room.tenantId(), room.roomId());
    } catch (RuntimeException e) {
      log.warn("not placed, stays pending: transcoder={} error={}", key, e.getMessage());
      return;
    }
    if (now.isEmpty() || k >= now.get().transcoders()) {
      return;
    }
    Demand demand = now.get();
    ContainerSpecFactory.Desired desired = specs.desired(key, room.roomId(), demand.image(), demand.resources());
    withContext(demand.commandId(), desired.key(), () -> {
      try {
        List<LifecycleData> events = ops.placeForDemand(new CommandRef(demand.commandId(), demand.commandType(),
            demand.at()), desired);
        events.forEach(e -> publish(demand.commandId(), null, e));
        if (!events.isEmpty()) {
          log.info("placed: transcoder={} demand={}", desired.key(), demand.transcoders());
        }
      } catch (NoCapacityException full) {
        log.debug("no slot here, stays pending: transcoder={}", desired.key());
      } catch (RuntimeException e) {
        log.warn("not placed, stays pending: transcoder={} error={}", desired.key(), e.getMessage());
      }
    });
  }

  private void report(RoomDemand room, RoomCounts counts) {
    Demand demand = room.demand();
    Optional<RoomReport> due = coordination.reportDue(room.tenantId(), room.roomId(), demand.commandId(), counts,
        SETTLE, REPUBLISH_AFTER);
    if (due.isEmpty()) {
      return;
    }
    RoomReport report = due.get();
    RoomCounts c = report.counts();
    publish(demand.commandId(), String.valueOf(report.seq()), new RoomDemandStatus(room.tenantId(), room.roomId(),
        c.desired(), c.running(), c.pending(), hostId, demand.demandId()));
    coordination.reportConfirmed(room.tenantId(), room.roomId(), report);
    log.info("room reported: tenantId={} roomId={} desired={} running={} pending={} report={}", room.tenantId(),
        room.roomId(), c.desired(), c.running(), c.pending(), report.seq());
  }

  private void publish(String causation, String occurrence, LifecycleData data) {
    publisher.publish(CloudEvent.lifecycle(source, causation, occurrence, clock.instant(), data));
  }

  private static void withContext(String eventId, TranscoderKey key, Runnable work) {
    MDC.put("eventId", eventId);
    MDC.put("subject", key.toString());
    try {
      work.run();
    } finally {
      MDC.remove("eventId");
      MDC.remove("subject");
    }
  }
}
