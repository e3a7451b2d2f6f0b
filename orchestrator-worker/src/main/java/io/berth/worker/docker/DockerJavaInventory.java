package io.berth.worker.docker;

import static io.berth.worker.docker.DockerJavaGateway.call;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Version;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link DockerInventory} on docker-java: reads only. */
public final class DockerJavaInventory implements DockerInventory {
  /** A CLI answers within seconds or says why; nothing it asks takes Docker longer than this. */
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(15);

  private final DockerClient client;
  private final DockerJavaGateway gateway;

  private DockerJavaInventory(DockerClient client) {
    this.client = client;
    this.gateway = new DockerJavaGateway(client);
  }

  /** Connects lazily: the first call says whether the engine answers. */
  public static DockerJavaInventory connect(String dockerHost) {
    return new DockerJavaInventory(DockerJavaGateway.client(dockerHost, RESPONSE_TIMEOUT));
  }

  @Override
  public EngineVersion version() {
    Version v = call("version", () -> client.versionCmd().exec());
    return new EngineVersion(String.valueOf(v.getVersion()), String.valueOf(v.getApiVersion()));
  }

  @Override
  public String engineId() {
    return gateway.engineId();
  }

  @Override
  public List<DockerNetwork> networks() {
    List<Network> networks = call("list networks", () -> client.listNetworksCmd().exec());
    return networks.stream().map(DockerJavaGateway::network).toList();
  }

  @Override
  public boolean imageExists(String image) {
    return gateway.imageExists(image);
  }

  @Override
  public List<ManagedContainer> listManaged() {
    return gateway.listManaged();
  }

  @Override
  public Optional<ContainerDetails> inspect(String id) {
    InspectContainerResponse r;
    try {
      r = call("inspect container " + id, () -> client.inspectContainerCmd(id).exec());
    } catch (DockerCallException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
    var state = r.getState();
    String status = state == null || state.getStatus() == null ? "unknown" : state.getStatus();
    Map<String, String> labels = r.getConfig() == null || r.getConfig().getLabels() == null
        ? Map.of() : r.getConfig().getLabels();
    boolean running = state != null && Boolean.TRUE.equals(state.getRunning());
    Long exit = state == null ? null : state.getExitCodeLong();
    return Optional.of(new ContainerDetails(r.getId(), r.getName() == null ? "" : r.getName().replaceFirst("^/", ""),
        labels, status,
        state == null ? null : time(state.getStartedAt()),
        state == null ? null : time(state.getFinishedAt()),
        running || exit == null ? null : exit.intValue(),
        state != null && Boolean.TRUE.equals(state.getOOMKilled())));
  }

  /** Docker's RFC 3339 times; "0001-01-01T00:00:00Z" means never. */
  static Instant time(String text) {
    if (text == null || text.isEmpty() || text.startsWith("0001-")) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      // closing a client of a CLI about to exit: nothing to do about it
    }
  }
}
