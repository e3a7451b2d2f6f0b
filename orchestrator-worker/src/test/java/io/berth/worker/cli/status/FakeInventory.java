package io.berth.worker.cli.status;

import io.berth.worker.docker.ContainerDetails;
import io.berth.worker.docker.DockerInventory;
import io.berth.worker.docker.DockerNetwork;
import io.berth.worker.docker.EngineVersion;
import io.berth.worker.docker.Labels;
import io.berth.worker.docker.ManagedContainer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Berth's containers on a pretend engine: listed by label, inspected by id. */
public final class FakeInventory implements DockerInventory {
  final List<ManagedContainer> listed = new ArrayList<>();
  final Map<String, ContainerDetails> inspected = new HashMap<>();
  RuntimeException down;

  /** Adds a transcoder container; {@code exitCode} only when it is not running, as Docker reports it. */
  public FakeInventory add(String host, String tenant, String transcoder, String room, String ip, String state,
      Instant startedAt, Instant finishedAt, Integer exitCode, boolean oom) {
    String id = "id-" + tenant + "-" + transcoder;
    Map<String, String> labels = Map.of(Labels.MANAGED, "true", Labels.HOST, host, Labels.TENANT, tenant,
        Labels.TRANSCODER, transcoder, Labels.ROOM, room, Labels.IP, ip);
    listed.add(new ManagedContainer(id, "berth-" + tenant + "-" + transcoder, state, labels));
    inspected.put(id, new ContainerDetails(id, "berth-" + tenant + "-" + transcoder, labels, state, startedAt,
        finishedAt, exitCode, oom));
    return this;
  }

  @Override
  public EngineVersion version() {
    return new EngineVersion("20.10.24", "1.41");
  }

  @Override
  public String engineId() {
    return "fake/000000000000";
  }

  @Override
  public List<DockerNetwork> networks() {
    return List.of();
  }

  @Override
  public boolean imageExists(String image) {
    return false;
  }

  @Override
  public List<ManagedContainer> listManaged() {
    if (down != null) {
      throw down;
    }
    return listed;
  }

  @Override
  public Optional<ContainerDetails> inspect(String id) {
    return Optional.ofNullable(inspected.get(id));
  }

  @Override
  public void close() {
  }
}
