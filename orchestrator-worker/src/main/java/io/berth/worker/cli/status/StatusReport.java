package io.berth.worker.cli.status;

import io.berth.worker.coordination.FleetSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code berth status} found, at one moment.
 *
 * @param host this host's transcoders; empty when Docker did not answer (see {@code problems})
 * @param fleet the fleet as etcd holds it; empty in single-host mode or when etcd did not answer
 * @param problems what could not be read, one line each
 */
public record StatusReport(Instant at, Optional<HostStatus> host, Optional<FleetSnapshot> fleet,
    List<String> problems) {

  public StatusReport {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(fleet, "fleet");
    problems = List.copyOf(problems);
  }
}
