package io.berth.worker.cli;

import io.berth.events.Identifiers;
import io.berth.worker.cli.status.HostStatus;
import io.berth.worker.cli.status.StatusJson;
import io.berth.worker.cli.status.StatusReport;
import io.berth.worker.cli.status.StatusText;
import io.berth.worker.config.EnvConfigLoader;
import io.berth.worker.config.EnvNames;
import io.berth.worker.coordination.EtcdFleetReader;
import io.berth.worker.coordination.FleetReader;
import io.berth.worker.coordination.FleetSnapshot;
import io.berth.worker.docker.DockerInventory;
import io.berth.worker.docker.DockerJavaInventory;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What this host holds, read from Docker alone (no broker, no worker needed); in a fleet, also every host and where
 * each transcoder runs, read from etcd. Needs only {@code DOCKER_HOST} and {@code BERTH_HOST_ID} (and the etcd
 * variables in a fleet); options override them.
 */
@Command(name = "status", mixinStandardHelpOptions = true, version = "berth 0.1.0",
    description = "Show the transcoders this host holds (from Docker) and, in a fleet (BERTH_ETCD_ENDPOINTS), every"
        + " host and where each transcoder runs (from etcd). A table for people, --json for scripts.")
public final class StatusCommand implements Callable<Integer> {
  static final int UNREADABLE = 1;
  static final int USAGE = 2;

  @Option(names = "--json", description = "one JSON object instead of tables")
  boolean json;

  @Option(names = "--host-id", description = "the host whose transcoders to show (default: $BERTH_HOST_ID, else"
      + " $HOSTNAME)")
  String hostId;

  @Option(names = "--docker-host", description = "the Docker Engine (default: $DOCKER_HOST, else"
      + " unix:///var/run/docker.sock)")
  String dockerHost;

  @Option(names = "--etcd-endpoints", description = "fleet: comma-separated etcd endpoints (default:"
      + " $BERTH_ETCD_ENDPOINTS; none: single host)")
  String etcdEndpoints;

  @Option(names = "--etcd-prefix", description = "fleet: key prefix (default: $BERTH_ETCD_PREFIX, else /berth)")
  String etcdPrefix;

  @Spec
  CommandSpec spec;

  private final Map<String, String> env;
  private final Function<String, DockerInventory> docker;
  private final BiFunction<List<URI>, String, FleetReader> fleet;
  private final Clock clock;

  public StatusCommand() {
    this(System.getenv(), DockerJavaInventory::connect, EtcdFleetReader::connect, Clock.systemUTC());
  }

  /** For tests and embedding: another environment, other readers, another clock. */
  public StatusCommand(Map<String, String> env, Function<String, DockerInventory> docker,
      BiFunction<List<URI>, String, FleetReader> fleet, Clock clock) {
    this.env = env;
    this.docker = docker;
    this.fleet = fleet;
    this.clock = clock;
  }

  @Override
  public Integer call() {
    try (CliLogging quiet = CliLogging.quiet()) {
      return show();
    }
  }

  private Integer show() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<String> host = Optional.ofNullable(hostId).or(() -> env(EnvNames.HOST_ID))
        .or(() -> env("HOSTNAME").map(h -> h.toLowerCase(Locale.ROOT)));
    if (host.isEmpty() || !Identifiers.isValid(host.get())) {
      err.println("berth: " + host.map(h -> "'" + h + "' is not a valid host id").orElse("no host id")
          + ": set " + EnvNames.HOST_ID + " or --host-id (1-63 of [a-z0-9-])");
      err.flush();
      return USAGE;
    }
    String where = Optional.ofNullable(dockerHost).or(() -> env(EnvNames.DOCKER_HOST))
        .orElse(EnvConfigLoader.DEFAULT_DOCKER_HOST);
    List<URI> endpoints;
    try {
      endpoints = Optional.ofNullable(etcdEndpoints).or(() -> env(EnvNames.ETCD_ENDPOINTS))
          .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(URI::create).toList())
          .orElse(List.of());
    } catch (IllegalArgumentException e) {
      err.println("berth: " + EnvNames.ETCD_ENDPOINTS + " / --etcd-endpoints: not http(s)://host:port, comma-separated");
      err.flush();
      return USAGE;
    }
    String prefix = Optional.ofNullable(etcdPrefix).or(() -> env(EnvNames.ETCD_PREFIX))
        .orElse(EnvConfigLoader.DEFAULT_ETCD_PREFIX);

    List<String> problems = new ArrayList<>();
    Optional<HostStatus> local = Optional.empty();
    try (DockerInventory inventory = docker.apply(where)) {
      local = Optional.of(HostStatus.read(inventory, host.get(), where));
    } catch (RuntimeException e) {
      problems.add("docker: cannot read " + where + ": " + e.getMessage());
    }
    Optional<FleetSnapshot> snapshot = Optional.empty();
    if (!endpoints.isEmpty()) {
      try (FleetReader reader = fleet.apply(endpoints, prefix)) {
        snapshot = Optional.of(reader.read());
      } catch (RuntimeException e) {
        problems.add("etcd: cannot read the fleet at " + String.join(",", endpoints.stream().map(URI::toString)
            .toList()) + ": " + e.getMessage());
      }
    }
    StatusReport report = new StatusReport(clock.instant(), local, snapshot, problems);
    if (json) {
      out.println(StatusJson.render(report));
    } else {
      StatusText.render(report).forEach(out::println);
      problems.forEach(p -> err.println("berth: " + p));
    }
    out.flush();
    err.flush();
    return problems.isEmpty() ? 0 : UNREADABLE;
  }

  private Optional<String> env(String variable) {
    return Optional.ofNullable(env.get(variable)).map(String::trim).filter(v -> !v.isEmpty());
  }
}
