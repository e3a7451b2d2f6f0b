package io.berth.worker.coordination;

import io.berth.worker.provisioning.TranscoderKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The one durable place for what Berth wants and who holds what. Docker stays the truth about what runs; this is the
 * truth about what should. Two implementations: {@link LocalCoordination} (one host alone, a store on its disk) and
 * {@link EtcdCoordination} (a fleet: etcd with leases and transactions). The pipeline does not know which one runs.
 *
 * <p>Every method may throw {@link CoordinationUnavailableException} (transient: the command waits and is retried).
 */
public interface Coordination extends AutoCloseable {

  // ---- intents: survive a worker restart, seen by every host ----

  /** Records a suspension; ordered by command time, so an older resume arriving later does not undo it. */
  void tenantSuspended(String tenantId, Instant at);

  void tenantResumed(String tenantId, Instant at);

  boolean isSuspended(String tenantId);

  void transcoderReleased(TranscoderKey key, Cancellation cancellation);

  /** Cancels the room's requests up to the close's time, and records the room's demand as 0 as of that time. */
  void roomClosed(String tenantId, String roomId, Cancellation cancellation);

  /**
   * Records a room's demand unless a newer one stands: the later command time wins; at equal time, the one recorded
   * last (compare-and-set orders the fleet's writers), and a command already recorded (same id) changes nothing. A
   * {@link #roomClosed} records a demand of 0 as of its time too.
   *
   * @return the demand in force afterwards
   */
  Demand demandChanged(String tenantId, String roomId, Demand demand);

  /** The room's demand in force, if it has one (a demand of 0 is forgotten after the cancellation window). */
  Optional<Demand> demand(String tenantId, String roomId);

  /** Every room with a demand, 0 included (its transcoders are to be removed): what the convergence loop works on. */
  List<RoomDemand> demands();

  /**
   * Decides whether a room's report is due, for every host alike (compare-and-set on the room's report record): a state
   * that differs from the last one published and has held for {@code settle} is due once, as the next report of the
   * demand {@code demandCommandId} (a new demand counts from 1 again); a published report not confirmed within
   * {@code unconfirmedFor} is due again with its number (its publisher may have died). Only the caller whose write
   * wins gets it.
   *
   * @return the report this caller is to publish, and then {@link #reportConfirmed}
   */
  Optional<RoomReport> reportDue(String tenantId, String roomId, String demandCommandId, RoomCounts now,
      java.time.Duration settle, java.time.Duration unconfirmedFor);

  /** The broker confirmed the report: nobody publishes it again. */
  void reportConfirmed(String tenantId, String roomId, RoomReport report);

  /** The cancellation that overrides a request issued at {@code requestedAt}, if any. */
  Optional<Cancellation> cancelling(TranscoderKey key, String roomId, Instant requestedAt);

  /**
   * The room-level cancellation (a {@code RoomClosed}) that overrides a request issued at {@code requestedAt}, if any.
   * What a demand transcoder honours: a transcoder-level release replaces it while its room's demand counts it.
   */
  Optional<Cancellation> roomCancelling(String tenantId, String roomId, Instant requestedAt);

  /**
   * What a transcoder command was answered, if it was (within the cancellation window): a redelivered or resent command
   * gets the same answer, with the same event ids, instead of being decided again against a world that moved on.
   */
  Optional<List<io.berth.events.LifecycleData>> outcome(String subject, String commandId);

  /** Records a command's answer before it is published; an answer recorded earlier stands and is returned instead. */
  /** @param subject what the command is about, e.g. {@code TranscoderReleased/acme/tx-1}: ids are not trusted alone */
  List<io.berth.events.LifecycleData> recordOutcome(String subject, String commandId,
      List<io.berth.events.LifecycleData> events);

  /** Supervision gave up on it: it stays stopped until a command starts it again, across worker restarts. */
  void crashLooped(TranscoderKey key);

  void clearCrashLoop(TranscoderKey key);

  boolean isCrashLooped(TranscoderKey key);

  // ---- placement: which host holds a transcoder, and which address is whose ----

  /**
   * Takes the transcoder for this host, atomically across the fleet.
   *
   * @return empty when this host holds it now (newly or already); otherwise the host that does
   */
  Optional<String> claim(TranscoderKey key);

  /**
   * Reserves an address for the transcoder, atomically across the fleet: false when another transcoder owns it. An
   * address the transcoder already owns is reserved again (true).
   */
  boolean reserveAddress(String address, TranscoderKey key);

  /** Frees an address reserved for the transcoder, if it still is (a provision that gave up). */
  void freeAddress(String address, TranscoderKey key);

  /** Keeps the placed transcoder's spec, so another host can bring it back on the same address. */
  void keep(KeptTranscoder transcoder);

  /** The host that owns the transcoder now, if any (a read: nothing is claimed). */
  Optional<String> holder(TranscoderKey key);

  /** What is kept of the transcoder, if anything. */
  Optional<KeptTranscoder> kept(TranscoderKey key);

  /**
   * The transcoder is gone for good: its claim, its address and its kept spec, together.
   *
   * @return whether this call released something (false: nothing kept, or another host holds it now)
   */
  boolean release(TranscoderKey key);

  /** Drops this host's ownership but keeps the spec and address: another host (or this one) brings it back. */
  void unclaim(TranscoderKey key);

  /** Transcoders this host owns in the fleet (single host: none to track beyond Docker). */
  List<TranscoderKey> ownedHere();

  /** Whether this host may act for the fleet now (single host: always). */
  boolean inContact();

  /** Releases a kept transcoder that no host holds; true only for the one call that did it. */
  boolean releaseOrphan(TranscoderKey key);

  /** Every address reserved in the fleet (single host: none beyond what Docker shows). */
  java.util.Set<String> reservedAddresses();

  /** Transcoders whose spec is kept but that no live host holds (their host died): to be taken over. */
  List<KeptTranscoder> orphans();

  /** "single-host" or "fleet", for logs and status. */
  String mode();

  @Override
  void close();
}
