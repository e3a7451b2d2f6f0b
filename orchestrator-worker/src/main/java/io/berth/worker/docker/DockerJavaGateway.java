package io.berth.worker.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@link DockerGateway} on docker-java with the httpclient5 transport. docker-java stays inside this package: this
 * class for the worker, {@link DockerJavaInventory} for the read-only CLI commands.
 */
public final class DockerJavaGateway implements DockerGateway, AutoCloseable {
  private static final Pattern EXITED = Pattern.compile("^Exited \\((-?\\d+)\\)");

  private final DockerClient client;

  public DockerJavaGateway(DockerClient client) {
    this.client = client;
  }

  /** A client for {@code dockerHost}; the response timeout must outlast the longest stop we ask for. */
  public static DockerJavaGateway connect(String dockerHost, Duration responseTimeout) {
    return new DockerJavaGateway(client(dockerHost, responseTimeout));
  }

  /** A docker-java client for {@code dockerHost}; shared with the read-only {@link DockerJavaInventory}. */
  static DockerClient client(String dockerHost, Duration responseTimeout) {
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(dockerHost)
        .build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .maxConnections(64)
        .connectionTimeout(Duration.ofSeconds(5))
        .responseTimeout(responseTimeout)
        .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /**
   * Which engine this is: tells two hosts of a fleet apart, and a restart from a twin. Docker's own {@code ID} comes from
   * /etc/docker/key.json, which engines on one machine (and cloned VMs) share, so the host name and data root count
   * too: {@code <name>/<12 hex of sha-256(ID, name, root)>}.
   */
  public String engineId() {
    return call("info", () -> {
      com.github.dockerjava.api.model.Info info = client.infoCmd().exec();
      String identity = info.getId() + "\n" + info.getName() + "\n" + info.getDockerRootDir();
      try {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
            .digest(identity.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return info.getName() + "/" + java.util.HexFormat.of().formatHex(digest, 0, 6);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is part of every JRE", e);
      }
    });
  }

  @Override
  public void ping() {
    run("ping", () -> client.pingCmd().exec());
  }

  @Override
  public void ensureNetwork(NetworkSpec spec) {
    Optional<Network> existing = inspectNetwork(spec.name());
    if (existing.isPresent()) {
      verify(spec, existing.get());
      return;
    }
    try {
      run("create network " + spec.name(), () -> client.createNetworkCmd()
          .withName(spec.name())
          .withDriver(spec.driver())
          .withOptions(Map.of("parent", spec.parent(), spec.modeOption(), spec.mode()))
          .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config()
              .withSubnet(spec.subnet())
              .withGateway(spec.gateway())
              .withIpRange(spec.ipRange())))
          .withLabels(spec.labels())
          .withCheckDuplicate(true)
          .exec());
    } catch (DockerCallException e) {
      // Another worker on this engine may have created it a moment ago: then it must match too.
      Optional<Network> raced = inspectNetwork(spec.name());
      if (raced.isPresent()) {
        verify(spec, raced.get());
        return;
      }
      if (e.status() < 500 || e.isAddressInUse()) {
        // Overlapping subnet, gateway taken, bad parent: the network cannot exist as configured on this host.
        throw new NetworkConflictException("cannot create Docker network '" + spec.name() + "' (" + spec.driver()
            + " on " + spec.parent() + ", subnet " + spec.subnet() + "): " + e.getMessage());
      }
      throw e;
    }
  }

  private Optional<Network> inspectNetwork(String name) {
    try {
      return Optional.of(call("inspect network " + name, () -> client.inspectNetworkCmd().withNetworkId(name).exec()));
    } catch (DockerCallException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static void verify(NetworkSpec spec, Network actual) {
    List<String> differences = spec.differencesFrom(network(actual));
    if (!differences.isEmpty()) {
      throw new NetworkConflictException("Docker network '" + spec.name() + "' exists with other settings ("
          + String.join("; ", differences) + "); remove it or configure a different BERTH_NETWORK_NAME");
    }
  }

  /** docker-java's network as Berth's plain record. */
  static DockerNetwork network(Network n) {
    return new DockerNetwork(n.getName(), n.getDriver(), n.getOptions(),
        n.getIpam() == null || n.getIpam().getConfig() == null ? List.of() : n.getIpam().getConfig().stream()
            .map(c -> new DockerNetwork.Pool(c.getSubnet(), c.getGateway(), c.getIpRange())).toList());
  }

  @Override
  public List<ManagedContainer> listManaged() {
    List<Container> containers = call("list containers", () -> client.listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(Labels.MANAGED, "true"))
        .exec());
    return containers.stream()
        .map(c -> new ManagedContainer(c.getId(), firstName(c.getNames()), String.valueOf(c.getState()),
            c.getLabels() == null ? Map.of() : c.getLabels(), exitCodeOf(c.getStatus()), false, ""))
        .toList();
  }

  /** The list call's status reads "Exited (42) 3 seconds ago": enough to judge an exit without one inspect each. */
  static int exitCodeOf(String status) {
    Matcher m = status == null ? null : EXITED.matcher(status);
    return m != null && m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static String firstName(String[] names) {
    if (names == null || names.length == 0) {
      return "";
    }
    return names[0].startsWith("/") ? names[0].substring(1) : names[0];
  }

  @Override
  public Optional<ManagedContainer> find(String nameOrId) {
    try {
      InspectContainerResponse r = call("inspect container " + nameOrId, () -> client.inspectContainerCmd(nameOrId).exec());
      String name = r.getName() == null ? "" : r.getName().replaceFirst("^/", "");
      String state = r.getState() == null || r.getState().getStatus() == null ? "unknown" : r.getState().getStatus();
      Map<String, String> labels = r.getConfig() == null || r.getConfig().getLabels() == null ? Map.of() : r.getConfig().getLabels();
      Long exit = r.getState() == null ? null : r.getState().getExitCodeLong();
      boolean oom = r.getState() != null && Boolean.TRUE.equals(r.getState().getOOMKilled());
      String startedAt = r.getState() == null ? "" : r.getState().getStartedAt();
      return Optional.of(new ManagedContainer(r.getId(), name, state, labels, exit == null ? -1 : exit.intValue(), oom,
          startedAt));
    } catch (DockerCallException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Set<String> endpointAddresses(String network) {
    Network n = call("inspect network " + network, () -> client.inspectNetworkCmd().withNetworkId(network).exec());
    Set<String> addresses = new HashSet<>();
    if (n.getContainers() != null) {
      n.getContainers().values().forEach(c -> {
        String cidr = c.getIpv4Address();
        if (cidr != null && !cidr.isEmpty()) {
          addresses.add(cidr.contains("/") ? cidr.substring(0, cidr.indexOf('/')) : cidr);
        }
      });
    }
    return addresses;
  }

  @Override
  public boolean imageExists(String image) {
    try {
      run("inspect image " + image, () -> client.inspectImageCmd(image).exec());
      return true;
    } catch (DockerCallException e) {
      if (e.isNotFound()) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public String create(ContainerSpec spec) {
    List<String> env = Stream.concat(
            spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()),
            spec.secretEnv().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().reveal()))
        .toList();
    HostConfig host = HostConfig.newHostConfig()
        .withNetworkMode(spec.network())
        .withNanoCPUs(spec.nanoCpus())
        .withMemory(spec.memoryBytes())
        .withPidsLimit(spec.pidsLimit())
        .withPrivileged(false)
        .withSecurityOpts(List.of("no-new-privileges:true"))
        .withLogConfig(new com.github.dockerjava.api.model.LogConfig(
            com.github.dockerjava.api.model.LogConfig.LoggingType.JSON_FILE, spec.logOptions()))
        // Berth supervises restarts itself, so each one is seen, counted and published.
        .withRestartPolicy(RestartPolicy.noRestart());
    return call("create container " + spec.name(), () -> client.createContainerCmd(spec.image())
        .withName(spec.name())
        .withLabels(spec.labels())
        .withEnv(env)
        .withHostConfig(host)
        .withIpv4Address(spec.ipAddress())
        .exec()
        .getId());
  }

  @Override
  public void start(String id) {
    try {
      run("start container " + id, () -> client.startContainerCmd(id).exec());
    } catch (DockerCallException e) {
      if (e.status() != 304) { // 304: already started, e.g. a retried start whose first answer was lost
        throw e;
      }
    }
  }

  @Override
  public void stop(String id, Duration timeout) {
    try {
      run("stop container " + id, () -> client.stopContainerCmd(id).withTimeout((int) timeout.toSeconds()).exec());
    } catch (DockerCallException e) {
      if (e.status() != 304) { // 304: already stopped
        throw e;
      }
    }
  }

  @Override
  public void restart(String id, Duration timeout) {
    run("restart container " + id, () -> client.restartContainerCmd(id).withTimeout((int) timeout.toSeconds()).exec());
  }

  @Override
  public void remove(String id) {
    try {
      run("remove container " + id, () -> client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec());
    } catch (DockerCallException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }

  @Override
  public long exec(String id, List<String> command, Duration timeout) {
    String execId = call("exec in " + id, () -> client.execCreateCmd(id)
        .withCmd(command.toArray(String[]::new))
        .withAttachStdout(true)
        .withAttachStderr(true)
        .exec()
        .getId());
    boolean finished = call("exec in " + id, () -> {
      try (ResultCallback.Adapter<Frame> callback = client.execStartCmd(execId).exec(new ResultCallback.Adapter<>())) {
        return callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    if (!finished) {
      return -1;
    }
    Long exit = call("inspect exec in " + id, () -> client.inspectExecCmd(execId).exec().getExitCodeLong());
    return exit == null ? -1 : exit;
  }

  @Override
  public AutoCloseable subscribe(Map<String, String> labels, Instant since, Consumer<ContainerEvent> onEvent,
      Consumer<Throwable> onEnd) {
    ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Event event) {
        Map<String, String> attributes = event.getActor() == null || event.getActor().getAttributes() == null
            ? Map.of() : event.getActor().getAttributes();
        Instant time = event.getTimeNano() != null ? Instant.ofEpochSecond(0, event.getTimeNano())
            : Instant.ofEpochSecond(event.getTime() == null ? 0 : event.getTime());
        String action = event.getAction() != null ? event.getAction() : String.valueOf(event.getStatus());
        onEvent.accept(new ContainerEvent(event.getId(), action, time, attributes));
      }

      @Override
      public void onError(Throwable error) {
        onEnd.accept(error);
      }

      @Override
      public void onComplete() {
        onEnd.accept(null);
      }
    };
    return call("subscribe to events", () -> client.eventsCmd()
        .withEventTypeFilter(EventType.CONTAINER)
        .withEventFilter(CachingDockerGateway.ACTIONS.toArray(String[]::new))
        .withLabelFilter(labels)
        .withSince(Long.toString(since.getEpochSecond()))
        .exec(callback));
  }

  /** Translates docker-java's exceptions into Berth's two kinds; nothing else leaves this package. */
  static <T> T call(String operation, Supplier<T> action) {
    try {
      return action.get();
    } catch (DockerException e) {
      throw new DockerCallException(operation, e.getHttpStatus(), e.getMessage(), e);
    } catch (RuntimeException e) {
      if (hasIoCause(e)) {
        throw new DockerUnavailableException(operation, rootCause(e));
      }
      throw e;
    }
  }

  private static void run(String operation, Runnable action) {
    call(operation, () -> {
      action.run();
      return null;
    });
  }

  private static boolean hasIoCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
