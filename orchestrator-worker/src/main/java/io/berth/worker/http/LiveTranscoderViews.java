package io.berth.worker.http;

import io.berth.worker.cli.status.HostStatus;
import io.berth.worker.coordination.FleetReader;
import io.berth.worker.coordination.FleetSnapshot;
import io.berth.worker.docker.DockerInventory;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The page's data in a running worker: this host's transcoders read from Docker the way {@code berth status} reads
 * them ({@link HostStatus#read}: one list call, one inspect per container of this host), and in a fleet every
 * transcoder read from etcd the way {@code berth status} reads it ({@link FleetReader}). Both are cached
 * ({@link CachedReading}) and read only when the page or {@code /api/transcoders} asks: Docker at most once per
 * {@link #DOCKER_FRESH}, etcd at most once per {@link #FLEET_FRESH}, however many browsers poll — and not at all while
 * nobody does. Not the reconcile pass's list: it runs every 30 s by default and knows no start times.
 *
 * <p>Reads go through clients of their own (read-only, with their own timeouts), never the worker's gateway, so a
 * page can neither take a connection a command needs nor count against the Docker circuit breaker. While the worker
 * knows Docker is down it is not asked at all; the page shows the last reading and says so.
 */
public final class LiveTranscoderViews implements Supplier<TranscoderView>, AutoCloseable {
  static final Duration DOCKER_FRESH = Duration.ofSeconds(2);
  static final Duration FLEET_FRESH = Duration.ofSeconds(5);

  private final DockerInventory docker;
  private final Optional<FleetReader> fleetReader;
  private final CachedReading<HostStatus> host;
  private final Optional<CachedReading<FleetSnapshot>> fleet;
  private final TranscoderViewAssembler assembler;
  private final Clock clock;

  /**
   * @param docker a read-only client of this host's engine; closed with this
   * @param dockerDown the worker found Docker unreachable and it has not answered a ping since
   * @param fleet fleet mode only: a reader of the fleet's etcd; closed with this
   */
  public LiveTranscoderViews(String hostId, String dockerHost, DockerInventory docker, BooleanSupplier dockerDown,
      Optional<FleetReader> fleet, TranscoderViewAssembler assembler, Clock clock) {
    this.docker = Objects.requireNonNull(docker, "docker");
    this.fleetReader = Objects.requireNonNull(fleet, "fleet");
    this.assembler = Objects.requireNonNull(assembler, "assembler");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.host = new CachedReading<>(() -> {
      if (dockerDown.getAsBoolean()) {
        throw new IllegalStateException("unreachable (the worker is waiting for it to answer a ping)");
      }
      return HostStatus.read(docker, hostId, dockerHost);
    }, DOCKER_FRESH, clock);
    this.fleet = fleet.map(reader -> new CachedReading<>(reader::read, FLEET_FRESH, clock));
  }

  @Override
  public TranscoderView get() {
    List<String> problems = new ArrayList<>();
    CachedReading.Reading<HostStatus> local = host.get();
    problem("docker", local).ifPresent(problems::add);
    Optional<CachedReading.Reading<FleetSnapshot>> snapshot = fleet.map(CachedReading::get);
    snapshot.flatMap(s -> problem("etcd", s)).ifPresent(problems::add);
    return assembler.assemble(clock.instant(), local.value(), snapshot.flatMap(CachedReading.Reading::value),
        problems);
  }

  private static Optional<String> problem(String source, CachedReading.Reading<?> reading) {
    return reading.failure().map(why -> source + ": " + why + (reading.value().isPresent()
        ? " (showing what it said at " + reading.valueAt().truncatedTo(ChronoUnit.SECONDS) + ")" : ""));
  }

  @Override
  public void close() {
    docker.close();
    fleetReader.ifPresent(FleetReader::close);
  }
}
