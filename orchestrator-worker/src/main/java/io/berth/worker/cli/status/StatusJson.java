package io.berth.worker.cli.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.berth.worker.coordination.FleetNetwork;
import io.berth.worker.coordination.FleetSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code berth status --json}: one JSON object for scripts. Every field is always there (null when unknown), so a
 * script can rely on the shape; times are RFC 3339, durations whole seconds.
 */
public final class StatusJson {
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  record Document(Instant at, Host host, Fleet fleet, List<String> problems) {}

  record Host(String hostId, String dockerHost, List<Transcoder> transcoders, List<String> otherHostIdsOnEngine) {}

  record Transcoder(String tenantId, String transcoderId, String roomId, String address, String state,
      String containerName, String containerId, Instant startedAt, Long uptimeSeconds, Instant lastExitAt,
      Integer lastExitCode, boolean oomKilled) {}

  record Fleet(String prefix, FleetNetwork network, List<Member> hosts, List<Placement> transcoders) {}

  record Member(String hostId, String engineId, Instant joinedAt, Long leaseSecondsLeft, long holds) {}

  record Placement(String tenantId, String transcoderId, String roomId, String address, String hostId, String state,
      String lastStartedOn, boolean crashLooped, boolean tenantSuspended) {}

  private StatusJson() {}

  public static String render(StatusReport report) {
    Instant now = report.at();
    Host host = report.host().map(h -> new Host(h.hostId(), h.dockerHost(), h.transcoders().stream()
        .map(t -> {
          Duration uptime = t.uptime(now);
          return new Transcoder(t.tenantId(), t.transcoderId(), t.roomId(), t.address(), t.state(),
              t.containerName(), t.containerId(), t.startedAt(), uptime == null ? null : uptime.toSeconds(),
              t.lastExitAt(), t.lastExitCode(), t.oomKilled());
        }).toList(), List.copyOf(h.otherHostIds()))).orElse(null);
    Fleet fleet = report.fleet().map(f -> new Fleet(f.prefix(), f.network().orElse(null),
        f.hosts().stream().map(m -> new Member(m.hostId(), m.engineId(), m.joinedAt(),
            m.leaseSecondsLeft() < 0 ? null : m.leaseSecondsLeft(), f.owned(m.hostId()))).toList(),
        f.transcoders().stream().map(StatusJson::placement).toList())).orElse(null);
    try {
      return JSON.writeValueAsString(new Document(now, host, fleet, report.problems()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("status is plain records: " + e.getMessage(), e);
    }
  }

  private static Placement placement(FleetSnapshot.Placement p) {
    return new Placement(p.tenantId(), p.transcoderId(), p.roomId(), p.address(), p.owner(), p.state(),
        p.lastStartedOn(), p.crashLooped(), p.tenantSuspended());
  }
}
