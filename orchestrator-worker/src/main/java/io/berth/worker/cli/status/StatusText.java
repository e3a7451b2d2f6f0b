package io.berth.worker.cli.status;

import io.berth.worker.cli.Durations;
import io.berth.worker.cli.Table;
import io.berth.worker.cli.Words;
import io.berth.worker.coordination.FleetSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code berth status} as tables for people; times relative to the report's moment. */
public final class StatusText {
  private StatusText() {}

  public static List<String> render(StatusReport report) {
    List<String> lines = new ArrayList<>();
    report.host().ifPresent(host -> host(lines, host, report.at()));
    report.fleet().ifPresent(fleet -> {
      if (!lines.isEmpty()) {
        lines.add("");
      }
      fleet(lines, fleet, report.at());
    });
    return lines;
  }

  private static void host(List<String> lines, HostStatus host, Instant now) {
    lines.add("host " + host.hostId() + " (Docker " + host.dockerHost() + "): "
        + (host.transcoders().isEmpty() ? "no transcoders" : Words.count(host.transcoders().size(), "transcoder")));
    if (!host.transcoders().isEmpty()) {
      Table table = new Table("TENANT", "TRANSCODER", "ROOM", "ADDRESS", "STATE", "UPTIME", "LAST EXIT");
      for (TranscoderStatus t : host.transcoders()) {
        Duration uptime = t.uptime(now);
        table.row(t.tenantId(), t.transcoderId(), t.roomId(), t.address(), t.state(),
            uptime == null ? "-" : Durations.human(uptime), lastExit(t, now));
      }
      lines.addAll(table.lines());
    }
    if (!host.otherHostIds().isEmpty()) {
      lines.add("(this Docker engine also runs Berth containers of " + String.join(", ", host.otherHostIds())
          + ": --host-id shows them)");
    }
  }

  /** {@code 5m ago, exit 137, OOM-killed}; the exit code only when Docker still knows it (not running). */
  static String lastExit(TranscoderStatus t, Instant now) {
    if (t.lastExitAt() == null) {
      return "-";
    }
    return Durations.human(Duration.between(t.lastExitAt(), now)) + " ago"
        + (t.lastExitCode() == null ? "" : ", exit " + t.lastExitCode()) + (t.oomKilled() ? ", OOM-killed" : "");
  }

  private static void fleet(List<String> lines, FleetSnapshot fleet, Instant now) {
    lines.add("fleet " + fleet.prefix() + ": " + Words.count(fleet.hosts().size(), "live host") + ", "
        + Words.count(fleet.transcoders().size(), "transcoder")
        + fleet.network().map(n -> ", range " + n.ipRange() + " (subnet " + n.subnet() + ")").orElse(""));
    if (!fleet.hosts().isEmpty()) {
      Table hosts = new Table("HOST", "ENGINE", "JOINED", "LEASE LEFT", "HOLDS");
      for (FleetSnapshot.Member h : fleet.hosts()) {
        hosts.row(h.hostId(), h.engineId(), h.joinedAt() == null ? "-"
                : Durations.human(Duration.between(h.joinedAt(), now)) + " ago",
            h.leaseSecondsLeft() < 0 ? "-" : h.leaseSecondsLeft() + "s", String.valueOf(fleet.owned(h.hostId())));
      }
      lines.addAll(hosts.lines());
    }
    if (!fleet.transcoders().isEmpty()) {
      lines.add("");
      Table placements = new Table("TENANT", "TRANSCODER", "ROOM", "ADDRESS", "HOST", "STATE", "NOTE");
      for (FleetSnapshot.Placement p : fleet.transcoders()) {
        placements.row(p.tenantId(), p.transcoderId(), p.roomId(), p.address(), p.owner(), p.state(), note(p));
      }
      lines.addAll(placements.lines());
    }
  }

  static String note(FleetSnapshot.Placement p) {
    List<String> notes = new ArrayList<>();
    if (p.lastStartedOn() != null && !p.lastStartedOn().equals(p.owner())) {
      notes.add("last started on " + p.lastStartedOn());
    }
    if (p.crashLooped()) {
      notes.add("crash-looped");
    }
    if (p.tenantSuspended()) {
      notes.add("tenant suspended");
    }
    return String.join("; ", notes);
  }
}
