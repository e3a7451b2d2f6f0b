package io.berth.worker.http;

import io.berth.events.Identifiers;
import io.berth.worker.cli.Durations;
import io.berth.worker.cli.status.HostStatus;
import io.berth.worker.cli.status.TranscoderStatus;
import io.berth.worker.config.Ipv4;
import io.berth.worker.coordination.FleetSnapshot;
import io.berth.worker.provisioning.TranscoderKey;
import io.berth.worker.supervision.CrashTracker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Puts the page's view together from what was read — this host's containers as {@code berth status} reads them
 * ({@link HostStatus}), the fleet as etcd holds it ({@link FleetSnapshot}) — and what this worker remembers of crashes
 * ({@link CrashTracker}). Pure: reads nothing itself, so every rule here is tested without Docker or etcd.
 */
public final class TranscoderViewAssembler {
  /** A crash this recent is highlighted even when the transcoder is back up. */
  static final Duration RECENT_CRASH = Duration.ofMinutes(10);
  /** WCS's web admin listens on HTTPS 8444 on every transcoder's own address. */
  static final int WCS_ADMIN_PORT = 8444;

  /**
   * Single host: the worker's own durable store answers these cheaply (a local file, read into memory). In a fleet the
   * snapshot carries them instead, so the page never asks etcd once per transcoder.
   */
  public record LocalIntents(Predicate<TranscoderKey> crashLooped, Predicate<String> tenantSuspended) {
    public LocalIntents {
      Objects.requireNonNull(crashLooped, "crashLooped");
      Objects.requireNonNull(tenantSuspended, "tenantSuspended");
    }
  }

  private final String hostId;
  private final boolean fleetMode;
  private final Instant countingSince;
  private final Function<TranscoderKey, Optional<CrashTracker.Memory>> crashes;
  private final Optional<LocalIntents> local;

  /**
   * @param countingSince when this worker started: the restart counts start there
   * @param local present in single-host mode only
   */
  public TranscoderViewAssembler(String hostId, boolean fleetMode, Instant countingSince,
      Function<TranscoderKey, Optional<CrashTracker.Memory>> crashes, Optional<LocalIntents> local) {
    this.hostId = Objects.requireNonNull(hostId, "hostId");
    this.fleetMode = fleetMode;
    this.countingSince = Objects.requireNonNull(countingSince, "countingSince");
    this.crashes = Objects.requireNonNull(crashes, "crashes");
    this.local = Objects.requireNonNull(local, "local");
  }

  /**
   * @param host this host's containers; empty when Docker has not been read (see problems)
   * @param fleet the fleet; empty in single-host mode or when etcd has not been read
   */
  public TranscoderView assemble(Instant now, Optional<HostStatus> host, Optional<FleetSnapshot> fleet,
      List<String> problems) {
    Map<List<String>, FleetSnapshot.Placement> placements = new LinkedHashMap<>();
    fleet.ifPresent(f -> f.transcoders().forEach(p -> placements.put(List.of(p.tenantId(), p.transcoderId()), p)));
    Map<List<String>, TranscoderView.Transcoder> rows = new LinkedHashMap<>();
    host.ifPresent(h -> h.transcoders().forEach(t -> {
      List<String> id = List.of(t.tenantId(), t.transcoderId());
      rows.put(id, here(t, Optional.ofNullable(placements.get(id)), now));
    }));
    placements.forEach((id, p) -> {
      if (!rows.containsKey(id)) {
        rows.put(id, elsewhere(p));
      }
    });
    List<TranscoderView.Transcoder> transcoders = new ArrayList<>(rows.values());
    transcoders.sort(Comparator.comparing(TranscoderView.Transcoder::tenantId)
        .thenComparing(TranscoderView.Transcoder::transcoderId));
    return new TranscoderView(now, hostId, fleetMode ? "fleet" : "single", countingSince,
        hosts(fleet, transcoders), transcoders, problems);
  }

  private TranscoderView.Transcoder here(TranscoderStatus t, Optional<FleetSnapshot.Placement> placement,
      Instant now) {
    Optional<TranscoderKey> key = key(t.tenantId(), t.transcoderId());
    boolean crashLooped = placement.map(FleetSnapshot.Placement::crashLooped)
        .orElseGet(() -> key.isPresent() && local.isPresent() && local.get().crashLooped().test(key.get()));
    boolean suspended = placement.map(FleetSnapshot.Placement::tenantSuspended)
        .orElseGet(() -> local.isPresent() && local.get().tenantSuspended().test(t.tenantId()));
    Optional<CrashTracker.Memory> memory = key.flatMap(crashes);
    Instant lastCrash = memory.map(CrashTracker.Memory::lastCrashAt).orElse(null);
    Duration uptime = t.uptime(now);
    List<String> notes = new ArrayList<>();
    if (suspended) {
      notes.add("tenant suspended");
    }
    placement.map(FleetSnapshot.Placement::owner).filter(owner -> !owner.equals(hostId))
        .ifPresent(owner -> notes.add("the fleet gives it to " + owner)); // moved away: this copy is being removed
    return new TranscoderView.Transcoder(t.tenantId(), t.transcoderId(), blankToNull(t.roomId()),
        blankToNull(t.address()), adminUrl(t.address()), hostId, t.state(), true,
        uptime == null ? null : uptime.toSeconds(), memory.map(CrashTracker.Memory::restarts).orElse(0), lastCrash,
        t.lastExitCode(), t.oomKilled(), alert(t, crashLooped, suspended, lastCrash, now), note(notes));
  }

  /** Held by another host (or by none): the fleet knows where, not how it is doing; that host's page does. */
  private static TranscoderView.Transcoder elsewhere(FleetSnapshot.Placement p) {
    List<String> notes = new ArrayList<>();
    if (p.tenantSuspended()) {
      notes.add("tenant suspended");
    }
    if (p.owner() == null && !p.crashLooped() && !p.tenantSuspended()) {
      notes.add("no host holds it: waiting to be brought back");
    }
    if (p.lastStartedOn() != null && !p.lastStartedOn().equals(p.owner())) {
      notes.add("last started on " + p.lastStartedOn());
    }
    return new TranscoderView.Transcoder(p.tenantId(), p.transcoderId(), p.roomId(), p.address(),
        adminUrl(p.address()), p.owner(), p.state(), false, null, null, null, null, false,
        p.crashLooped() ? CRASH_LOOPED : null, note(notes));
  }

  private static final String CRASH_LOOPED = "crash-looped: left stopped";

  /** Why a row is highlighted: given up on, stopped without being asked to, or crashed a moment ago. */
  static String alert(TranscoderStatus t, boolean crashLooped, boolean suspended, Instant lastCrash, Instant now) {
    if (crashLooped) {
      return CRASH_LOOPED;
    }
    if (("exited".equals(t.state()) || "dead".equals(t.state())) && !suspended) {
      return t.state() + (t.lastExitCode() == null ? "" : " with code " + t.lastExitCode())
          + (t.oomKilled() ? ", OOM-killed" : "");
    }
    if (lastCrash != null && Duration.between(lastCrash, now).compareTo(RECENT_CRASH) < 0) {
      return "crashed " + Durations.human(Duration.between(lastCrash, now)) + " ago";
    }
    return null;
  }

  private List<TranscoderView.Host> hosts(Optional<FleetSnapshot> fleet, List<TranscoderView.Transcoder> rows) {
    if (fleet.isPresent()) {
      return fleet.get().hosts().stream().map(m -> new TranscoderView.Host(m.hostId(), fleet.get().owned(m.hostId()),
          m.leaseSecondsLeft() < 0 ? null : m.leaseSecondsLeft(), m.hostId().equals(hostId))).toList();
    }
    return List.of(new TranscoderView.Host(hostId, rows.stream().filter(TranscoderView.Transcoder::here).count(),
        null, true));
  }

  /**
   * The link to WCS's web admin, only for a well-formed IPv4 address and written out again from its numbers: the
   * address comes from a Docker label, and a label can hold anything — a {@code javascript:} URL included.
   */
  static String adminUrl(String address) {
    if (address == null || address.isBlank()) {
      return null;
    }
    try {
      return "https://" + Ipv4.format(Ipv4.parse(address)) + ":" + WCS_ADMIN_PORT + "/";
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Docker labels are not validated ids: a hand-made container may carry anything, and then has no memory here. */
  private static Optional<TranscoderKey> key(String tenantId, String transcoderId) {
    return Identifiers.isValid(tenantId) && Identifiers.isValid(transcoderId)
        ? Optional.of(new TranscoderKey(tenantId, transcoderId)) : Optional.empty();
  }

  private static String note(List<String> notes) {
    return notes.isEmpty() ? null : String.join("; ", notes);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
