package io.berth.worker.coordination;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.worker.provisioning.TranscoderKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The rules of Berth's intents on top of any {@link DurableMap}: suspensions, cancellations and room demands are
 * ordered by their commands' CloudEvents time (the newer wins whatever order they arrive in), cancellations and demands
 * of 0 are kept for a bounded time, crash-loop verdicts until a command clears them. Both modes share these rules; only
 * the store differs.
 */
final class IntentBook {
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
      .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

  record Suspension(Instant suspendedAt, Instant resumedAt) {
    boolean suspended() {
      return suspendedAt != null && (resumedAt == null || resumedAt.isBefore(suspendedAt));
    }
  }

  private final DurableMap store;
  private final Clock clock;
  private final Duration keepCancellations;
  private final AtomicReference<Instant> lastPrune = new AtomicReference<>(Instant.EPOCH);

  IntentBook(DurableMap store, Clock clock, Duration keepCancellations) {
    this.store = store;
    this.clock = clock;
    this.keepCancellations = keepCancellations;
  }

  void tenantSuspended(String tenantId, Instant at) {
    merge("suspension/" + tenantId, Suspension.class,
        s -> s == null ? new Suspension(at, null) : new Suspension(later(s.suspendedAt(), at), s.resumedAt()));
  }

  void tenantResumed(String tenantId, Instant at) {
    merge("suspension/" + tenantId, Suspension.class,
        s -> s == null ? new Suspension(null, at) : new Suspension(s.suspendedAt(), later(s.resumedAt(), at)));
  }

  boolean isSuspended(String tenantId) {
    return read("suspension/" + tenantId, Suspension.class).map(Suspension::suspended).orElse(false);
  }

  void transcoderReleased(TranscoderKey key, Cancellation c) {
    cancel("cancel/transcoder/" + key.tenantId() + "/" + key.transcoderId(), c);
  }

  /** A room close cancels the room's requests up to its time and is the room's demand of 0 as of that time. */
  void roomClosed(String tenantId, String roomId, Cancellation c) {
    cancel("cancel/room/" + tenantId + "/" + roomId, c);
    demandChanged(tenantId, roomId, Demand.closed(c));
  }

  /**
   * How a room's demand is kept: the demand in force, and the commands recorded with exactly its time (newest last),
   * so a redelivery or resend of one of them is known and changes nothing.
   */
  record DemandRecord(Demand demand, java.util.List<String> commandsAtItsTime) {}

  /** Enough for any honest tie; beyond it, the oldest tie is forgotten and its redelivery would count as new. */
  static final int MAX_TIES_REMEMBERED = 32;

  /**
   * Records a room's demand unless a newer one stands. Newer = later command time; at the same time, the one recorded
   * last, where a command already recorded (same id) is no new arrival. Compare-and-set makes "recorded last" one order
   * for every host.
   *
   * @return the demand in force afterwards (this one, or the one that stood against it)
   */
  Demand demandChanged(String tenantId, String roomId, Demand demand) {
    DemandRecord standing = merge(demandKey(tenantId, roomId), DemandRecord.class, old -> {
      if (old == null || demand.at().isAfter(old.demand().at())) {
        return new DemandRecord(demand, java.util.List.of(demand.commandId()));
      }
      if (demand.at().equals(old.demand().at()) && !old.commandsAtItsTime().contains(demand.commandId())) {
        java.util.List<String> ties = new java.util.ArrayList<>(old.commandsAtItsTime());
        ties.add(demand.commandId());
        return new DemandRecord(demand, java.util.List.copyOf(
            ties.subList(Math.max(0, ties.size() - MAX_TIES_REMEMBERED), ties.size())));
      }
      return old;
    });
    pruneNowAndThen();
    return standing.demand();
  }

  Optional<Demand> demand(String tenantId, String roomId) {
    return read(demandKey(tenantId, roomId), DemandRecord.class).map(DemandRecord::demand);
  }

  java.util.List<RoomDemand> demands() {
    java.util.List<RoomDemand> all = new java.util.ArrayList<>();
    store.list("demand/").forEach((key, value) -> {
      String[] tenantAndRoom = key.substring("demand/".length()).split("/", 2);
      all.add(new RoomDemand(tenantAndRoom[0], tenantAndRoom[1], decode(value, DemandRecord.class).demand()));
    });
    return all;
  }

  private static String demandKey(String tenantId, String roomId) {
    return "demand/" + tenantId + "/" + roomId;
  }

  private static String reportKey(String tenantId, String roomId) {
    return "report/" + tenantId + "/" + roomId;
  }

  /**
   * A room's report record, shared by every host: the last state published under the demand in force (its number,
   * when, whether the broker confirmed it) and the state that may be published next once it has held long enough.
   */
  record ReportRecord(String demandCommandId, int seq, RoomCounts published, boolean confirmed, Instant publishedAt,
      RoomCounts candidate, Instant candidateSince) {}

  Optional<RoomReport> reportDue(String tenantId, String roomId, String demandCommandId, RoomCounts now,
      Duration settle, Duration unconfirmedFor) {
    String key = reportKey(tenantId, roomId);
    for (int attempt = 0; attempt < 100; attempt++) {
      Instant t = clock.instant();
      Optional<DurableMap.Versioned> current = store.get(key);
      ReportRecord old = current.map(v -> decode(v.value(), ReportRecord.class)).orElse(null);
      ReportRecord fresh;
      boolean publish = false;
      if (old == null || !old.demandCommandId().equals(demandCommandId)) {
        fresh = new ReportRecord(demandCommandId, 0, null, true, null, now, t); // a new demand counts from 1 again
      } else if (now.equals(old.published())) {
        if (!old.confirmed() && !old.publishedAt().plus(unconfirmedFor).isAfter(t)) {
          fresh = new ReportRecord(demandCommandId, old.seq(), old.published(), false, t, now, old.candidateSince());
          publish = true; // its publisher died between winning and the confirm: the same report again
        } else if (!now.equals(old.candidate())) {
          fresh = new ReportRecord(demandCommandId, old.seq(), old.published(), old.confirmed(), old.publishedAt(),
              now, t); // back where it was published: a change that did not settle is forgotten
        } else {
          return Optional.empty();
        }
      } else if (!now.equals(old.candidate())) {
        fresh = new ReportRecord(demandCommandId, old.seq(), old.published(), old.confirmed(), old.publishedAt(), now,
            t);
      } else if (!old.candidateSince().plus(settle).isAfter(t)) {
        fresh = new ReportRecord(demandCommandId, old.seq() + 1, now, false, t, now, old.candidateSince());
        publish = true;
      } else {
        return Optional.empty();
      }
      if (store.putIfVersion(key, current.map(DurableMap.Versioned::version).orElse(0L), encode(fresh))) {
        return publish ? Optional.of(new RoomReport(demandCommandId, fresh.seq(), fresh.published()))
            : Optional.empty();
      }
    }
    return Optional.empty(); // many writers at once: one of them reports; this pass leaves it to them
  }

  void reportConfirmed(String tenantId, String roomId, RoomReport report) {
    String key = reportKey(tenantId, roomId);
    for (int attempt = 0; attempt < 100; attempt++) {
      Optional<DurableMap.Versioned> current = store.get(key);
      ReportRecord old = current.map(v -> decode(v.value(), ReportRecord.class)).orElse(null);
      if (old == null || old.confirmed() || !old.demandCommandId().equals(report.demandCommandId())
          || old.seq() != report.seq()) {
        return; // confirmed already, or a newer report or demand took its place
      }
      ReportRecord fresh = new ReportRecord(old.demandCommandId(), old.seq(), old.published(), true,
          old.publishedAt(), old.candidate(), old.candidateSince());
      if (store.putIfVersion(key, current.get().version(), encode(fresh))) {
        return;
      }
    }
  }

  Optional<Cancellation> cancelling(TranscoderKey key, String roomId, Instant requestedAt) {
    Instant horizon = clock.instant().minus(keepCancellations);
    return read("cancel/transcoder/" + key.tenantId() + "/" + key.transcoderId(), Cancellation.class)
        .filter(c -> !requestedAt.isAfter(c.at()) && c.at().isAfter(horizon))
        .or(() -> roomCancelling(key.tenantId(), roomId, requestedAt));
  }

  Optional<Cancellation> roomCancelling(String tenantId, String roomId, Instant requestedAt) {
    Instant horizon = clock.instant().minus(keepCancellations);
    return read("cancel/room/" + tenantId + "/" + roomId, Cancellation.class)
        .filter(c -> !requestedAt.isAfter(c.at()) && c.at().isAfter(horizon));
  }

  /** What a command was answered, kept for the cancellation window: a redelivery is answered the same again. */
  record Outcome(Instant at, java.util.List<String> events) {}

  Optional<Outcome> outcome(String subject, String commandId) {
    return read(outcomeKey(subject, commandId), Outcome.class);
  }

  /** Records the answer unless one is recorded already; returns the one that stands. */
  Outcome recordOutcome(String subject, String commandId, java.util.List<String> events) {
    Outcome fresh = new Outcome(clock.instant(), java.util.List.copyOf(events));
    for (int attempt = 0; attempt < 100; attempt++) {
      Optional<Outcome> recorded = outcome(subject, commandId);
      if (recorded.isPresent()) {
        return recorded.get();
      }
      if (store.putIfVersion(outcomeKey(subject, commandId), 0L, encode(fresh))) {
        pruneNowAndThen();
        return fresh;
      }
    }
    throw new IllegalStateException("could not record the outcome of " + commandId);
  }

  /**
   * Keyed by what the command is about as well as its id: a publisher that reuses an id for another command (or
   * another transcoder) gets a decision of its own, never another command's answer and effect.
   */
  private static String outcomeKey(String subject, String commandId) {
    return "outcome/" + subject + "/" + commandId;
  }

  void crashLooped(TranscoderKey key) {
    merge(crashLoopKey(key), Instant.class, old -> old == null ? clock.instant() : old);
  }

  void clearCrashLoop(TranscoderKey key) {
    store.delete(crashLoopKey(key));
  }

  boolean isCrashLooped(TranscoderKey key) {
    return store.get(crashLoopKey(key)).isPresent();
  }

  private static String crashLoopKey(TranscoderKey key) {
    return "crash-loop/" + key.tenantId() + "/" + key.transcoderId();
  }

  private void cancel(String key, Cancellation c) {
    merge(key, Cancellation.class, old -> old == null || c.at().isAfter(old.at()) ? c : old);
    pruneNowAndThen();
  }

  /** Cancellations older than the keep window can no longer cancel anything that is still in flight: drop them. */
  private void pruneNowAndThen() {
    Instant now = clock.instant();
    Instant last = lastPrune.get();
    if (now.isBefore(last.plus(PRUNE_EVERY)) || !lastPrune.compareAndSet(last, now)) {
      return;
    }
    Instant horizon = now.minus(keepCancellations);
    store.list("cancel/").forEach((key, value) -> {
      if (decode(value, Cancellation.class).at().isBefore(horizon)) {
        store.deleteIfValue(key, value); // a newer cancellation recorded since the listing stays
      }
    });
    store.list("outcome/").forEach((key, value) -> {
      if (decode(value, Outcome.class).at().isBefore(horizon)) {
        store.deleteIfValue(key, value);
      }
    });
    // A demand of 0 past the window has nothing left to hold back. Deleted only if unchanged since listed: a new demand
    // recorded meanwhile must not be lost.
    store.list("demand/").forEach((key, value) -> {
      Demand demand = decode(value, DemandRecord.class).demand();
      if (demand.transcoders() == 0 && demand.at().isBefore(horizon) && store.deleteIfValue(key, value)) {
        store.delete("report/" + key.substring("demand/".length())); // its room's report goes with it
      }
    });
  }

  private <T> Optional<T> read(String key, Class<T> type) {
    return store.get(key).map(v -> decode(v.value(), type));
  }

  /**
   * Read, merge, compare-and-set; again when another writer got in between.
   *
   * @return the value that stands afterwards
   */
  private <T> T merge(String key, Class<T> type, UnaryOperator<T> merge) {
    for (int attempt = 0; attempt < 100; attempt++) {
      Optional<DurableMap.Versioned> current = store.get(key);
      T old = current.map(v -> decode(v.value(), type)).orElse(null);
      T fresh = merge.apply(old);
      if (fresh.equals(old) || store.putIfVersion(key, current.map(DurableMap.Versioned::version).orElse(0L),
          encode(fresh))) {
        return fresh;
      }
    }
    throw new IllegalStateException("could not record " + key + ": 100 concurrent writers in a row");
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }

  private static String encode(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static <T> T decode(String value, Class<T> type) {
    try {
      return JSON.readValue(value, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable " + type.getSimpleName() + " in the coordination store: " + value,
          e);
    }
  }

  static String json(Object value) {
    return encode(value);
  }
}
