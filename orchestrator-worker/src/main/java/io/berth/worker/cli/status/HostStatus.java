package io.berth.worker.cli.status;

import io.berth.worker.docker.ContainerDetails;
import io.berth.worker.docker.DockerInventory;
import io.berth.worker.docker.ManagedContainer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What one host holds, read from its Docker Engine alone: one list call for Berth's containers, one inspect for each of
 * this host's.
 *
 * @param otherHostIds host ids of Berth containers on this engine that are not {@code hostId}'s (a mistyped host id,
 *     or several workers sharing one engine)
 */
public record HostStatus(String hostId, String dockerHost, List<TranscoderStatus> transcoders,
    SortedSet<String> otherHostIds) {

  public HostStatus {
    transcoders = List.copyOf(transcoders);
    otherHostIds = new TreeSet<>(otherHostIds);
  }

  public static HostStatus read(DockerInventory docker, String hostId, String dockerHost) {
    List<TranscoderStatus> transcoders = new ArrayList<>();
    SortedSet<String> others = new TreeSet<>();
    for (ManagedContainer c : docker.listManaged()) {
      if (!hostId.equals(c.hostId())) {
        others.add(c.hostId().isEmpty() ? "(none)" : c.hostId());
        continue;
      }
      Optional<ContainerDetails> details = docker.inspect(c.id()); // gone since the list: nothing to show
      details.map(TranscoderStatus::of).ifPresent(transcoders::add);
    }
    transcoders.sort(Comparator.comparing(TranscoderStatus::tenantId).thenComparing(TranscoderStatus::transcoderId));
    return new HostStatus(hostId, dockerHost, transcoders, others);
  }
}
