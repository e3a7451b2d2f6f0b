package io.berth.worker.cli.preflight;

import io.berth.worker.coordination.FleetReader;
import io.berth.worker.coordination.FleetSnapshot;
import io.berth.worker.docker.ContainerDetails;
import io.berth.worker.docker.DockerInventory;
import io.berth.worker.docker.DockerNetwork;
import io.berth.worker.docker.DockerUnavailableException;
import io.berth.worker.docker.EngineVersion;
import io.berth.worker.docker.ManagedContainer;
import io.berth.worker.messaging.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Fakes behind preflight's probes, set up as a host where everything is in order; tests spoil one thing each. */
final class Fakes {
  final Map<String, String> env = new HashMap<>();
  final Docker docker = new Docker();
  final Net net = new Net();
  final Commands commands = new Commands();
  final Broker broker = new Broker();
  FleetSnapshot fleet = new FleetSnapshot("/berth", List.of(), List.of(), Optional.empty());
  RuntimeException fleetDown;

  Fakes() throws IOException {
    Path dir = Files.createTempDirectory("berth-preflight-test");
    Path password = Files.writeString(dir.resolve("password"), "pw");
    Path license = Files.writeString(dir.resolve("license"), "lic");
    Files.setPosixFilePermissions(password, java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
    Files.setPosixFilePermissions(license, java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
    env.put("BERTH_AMQP_URI", "amqp://guest:secret-password@127.0.0.1:5672/%2F");
    env.put("BERTH_HOST_ID", "host-a");
    env.put("BERTH_NETWORK_DRIVER", "macvlan");
    env.put("BERTH_NETWORK_PARENT", "eth0");
    env.put("BERTH_NETWORK_SUBNET", "192.0.2.0/24");
    env.put("BERTH_NETWORK_GATEWAY", "192.0.2.1");
    env.put("BERTH_NETWORK_IP_RANGE", "192.0.2.64/26");
    env.put("BERTH_IMAGE", "wcs:5.2");
    env.put("BERTH_WCS_PASSWORD_FILE", password.toString());
    env.put("BERTH_WCS_LICENSE_FILE", license.toString());
    env.put("BERTH_STATE_DIR", dir.resolve("state").toString());
    net.links.put("eth0", new HostNet.Link("eth0", true, "up", false));
    net.addresses.add(new HostNet.Address("eth0", io.berth.worker.config.Ipv4.parse("192.0.2.10"), 24));
    docker.images.add("wcs:5.2");
    docker.networks.add(new DockerNetwork("bridge", "bridge", Map.of(),
        List.of(new DockerNetwork.Pool("172.17.0.0/16", "172.17.0.1", null))));
    commands.answer("ip link add", new CommandRunner.Result(0, ""));
    commands.answer("ip link del", new CommandRunner.Result(0, ""));
    commands.answer("rabbitmqctl", new CommandRunner.Result(0, "[{rabbit,[{consumer_timeout,1800000}]}]"));
  }

  PreflightProbes probes() {
    return new PreflightProbes(host -> docker, net, commands, broker, (endpoints, prefix) -> new FleetReader() {
      @Override
      public FleetSnapshot read() {
        if (fleetDown != null) {
          throw fleetDown;
        }
        return fleet;
      }

      @Override
      public void close() {
      }
    });
  }

  PreflightContext context() {
    return new PreflightContext(new PreflightEnv(env), probes());
  }

  List<CheckResult> run(Check check) throws Exception {
    try (PreflightContext context = context()) {
      return check.run(context);
    }
  }

  static final class Docker implements DockerInventory {
    EngineVersion version = new EngineVersion("20.10.24", "1.41");
    RuntimeException down;
    final List<DockerNetwork> networks = new ArrayList<>();
    final Set<String> images = new HashSet<>();
    String engineId = "host-a/0123456789ab";

    @Override
    public EngineVersion version() {
      if (down != null) {
        throw down;
      }
      return version;
    }

    @Override
    public String engineId() {
      return engineId;
    }

    @Override
    public List<DockerNetwork> networks() {
      return networks;
    }

    @Override
    public boolean imageExists(String image) {
      return images.contains(image);
    }

    @Override
    public List<ManagedContainer> listManaged() {
      return List.of();
    }

    @Override
    public Optional<ContainerDetails> inspect(String id) {
      return Optional.empty();
    }

    @Override
    public void close() {
    }

    void unreachable() {
      down = new DockerUnavailableException("version", new IOException("No such file or directory"));
    }
  }

  static final class Net implements HostNet {
    final Map<String, Link> links = new HashMap<>();
    final List<Address> addresses = new ArrayList<>();

    @Override
    public Optional<Link> link(String name) {
      return Optional.ofNullable(links.get(name));
    }

    @Override
    public List<String> linkNames() {
      return links.keySet().stream().sorted().toList();
    }

    @Override
    public List<Address> ipv4Addresses() {
      return addresses;
    }
  }

  /** Answers commands by the longest matching start of their words; records what ran. */
  static final class Commands implements CommandRunner {
    final Map<String, Result> answers = new HashMap<>();
    final List<String> ran = new ArrayList<>();

    void answer(String start, Result result) {
      answers.put(start, result);
    }

    @Override
    public Result run(List<String> command, Duration timeout) {
      String line = String.join(" ", command);
      ran.add(line);
      return answers.entrySet().stream().filter(e -> line.startsWith(e.getKey()))
          .max(java.util.Comparator.comparingInt(e -> e.getKey().length())).map(Map.Entry::getValue)
          .orElse(new Result(CommandRunner.NOT_RUN, command.get(0) + ": not installed"));
    }
  }

  static final class Broker implements BrokerProbe {
    Exception refusal;
    final Map<String, Comparison> entities = new HashMap<>();
    boolean closed;

    @Override
    public Session open(io.berth.worker.messaging.BrokerEndpoint broker) throws Exception {
      if (refusal != null) {
        throw refusal;
      }
      return new Session() {
        @Override
        public String server() {
          return "RabbitMQ 3.13.7";
        }

        @Override
        public Comparison compare(Topology.Entity entity) {
          return entities.getOrDefault(entity.name(), Comparison.same());
        }

        @Override
        public void close() {
          closed = true;
        }
      };
    }
  }

  /** The lines of a check's results whose status is {@code status}. */
  static List<CheckResult> with(List<CheckResult> results, CheckStatus status) {
    return results.stream().filter(r -> r.status() == status).toList();
  }

  static Function<List<CheckResult>, String> text() {
    return results -> String.join("\n", Preflight.render(results));
  }
}
