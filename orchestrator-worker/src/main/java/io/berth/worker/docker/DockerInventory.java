package io.berth.worker.docker;

import java.util.List;
import java.util.Optional;

/**
 * What the CLI reads from a Docker Engine, and nothing it could change: for {@code berth preflight} and
 * {@code berth status}. Calls throw {@link DockerUnavailableException} when the engine cannot be reached and
 * {@link DockerCallException} when it answers with an error, like {@link DockerGateway}.
 */
public interface DockerInventory extends AutoCloseable {

  EngineVersion version();

  /** The engine's identity as fleet host records carry it (see {@link DockerJavaGateway#engineId()}). */
  String engineId();

  List<DockerNetwork> networks();

  boolean imageExists(String image);

  /** Every container carrying {@link Labels#MANAGED}, of any host id: one list call. */
  List<ManagedContainer> listManaged();

  /** Empty when the container is gone (removed between a list and this call). */
  Optional<ContainerDetails> inspect(String id);

  @Override
  void close();
}
