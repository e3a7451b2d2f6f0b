package io.berth.worker.docker;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.Map;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Docker operations Berth needs, and nothing more. Implementations throw {@link DockerCallException} when Docker
 * answers with an error and {@link DockerUnavailableException} when it cannot be reached.
 */
public interface DockerGateway {

  void ping();

  /** Creates the network when absent; refuses one of that name with other settings ({@link NetworkConflictException}). */
  void ensureNetwork(NetworkSpec spec);

  /** Every container carrying {@link Labels#MANAGED}, running or not, of any host id: one list call. */
  List<ManagedContainer> listManaged();

  Optional<ManagedContainer> find(String nameOrId);

  /** Addresses of the endpoints attached to a network right now (stopped containers hold none). */
  Set<String> endpointAddresses(String network);

  boolean imageExists(String image);

  /** @return the new container's id */
  String create(ContainerSpec spec);

  void start(String id);

  void stop(String id, Duration timeout);

  void restart(String id, Duration timeout);

  /** Removes the container (force), succeeding quietly when it is already gone. */
  void remove(String id);

  /**
   * Streams container events ({@link CachingDockerGateway#ACTIONS}) of containers carrying all {@code labels}, from {@code since} on, so a
   * re-subscription misses nothing. {@code onEnd} is told when the stream ends or fails (Docker is known to drop idle
   * event streams): the caller re-subscribes.
   *
   * @return closes the subscription
   */
  AutoCloseable subscribe(Map<String, String> labels, Instant since,
      Consumer<ContainerEvent> onEvent, Consumer<Throwable> onEnd);

  /** Runs a command inside a running container; returns its exit code, or -1 when it did not finish in time. */
  long exec(String id, List<String> command, Duration timeout);
}
