package io.berth.worker.it.fleet;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.berth.worker.it.Shell;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One Docker host of a {@link TestFleet}: a network namespace whose {@code eth0} is on the fleet's LAN, with a dockerd
 * of its own. Processes started here ({@link #startProcess}) see only that network: the broker and etcd over the LAN,
 * the engine through its socket.
 */
public final class FleetHost {
  private final TestFleet fleet;
  private final int index;
  private final Map<String, String> env;
  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private DockerClient docker;

  FleetHost(TestFleet fleet, int index, Map<String, String> env) {
    this.fleet = fleet;
    this.index = index;
    this.env = env;
  }

  private String value(String key) {
    String v = env.get("HOST" + index + "_" + key);
    if (v == null) {
      throw new IllegalStateException("fleet.env has no HOST" + index + "_" + key);
    }
    return v;
  }

  /** 1-based, as in {@code fleet.sh cut 2}. */
  public int index() {
    return index;
  }

  /** {@code h1}, {@code h2}, ...; usable as a worker's host id. */
  public String name() {
    return "h" + index;
  }

  /** {@code berth-fleet-<tag>-h<i>} ({@code ip netns} name). */
  public String namespace() {
    return value("NETNS");
  }

  /** {@code /run/netns/berth-fleet-<tag>-h<i>}, for {@code nsenter --net=}. */
  public String namespacePath() {
    return value("NETNS_PATH");
  }

  /** {@code unix:///run/berth-fleet/<tag>/h<i>/docker.sock}: this host's engine, for DOCKER_HOST. */
  public String dockerHost() {
    return value("DOCKER_HOST");
  }

  /** The LAN interface inside the namespace ({@code eth0}): the macvlan/ipvlan parent on this host. */
  public String parentInterface() {
    return value("PARENT");
  }

  /** This host's own address on the LAN, {@code 203.0.113.(10+i)}. */
  public String lanAddress() {
    return value("ADDRESS");
  }

  /** The bridge-side veth ({@code bf<tag>h<i>}) that {@link #cutLink} takes down. */
  public String link() {
    return value("LINK");
  }

  /** dockerd's log. */
  public Path dockerLog() {
    return Path.of(value("LOG"));
  }

  /** Off the LAN: no etcd, no broker, nobody reaches its containers; the engine itself keeps running. */
  public void cutLink() {
    fleet.script("cut", String.valueOf(index), fleet.tag());
  }

  public void restoreLink() {
    fleet.script("restore", String.valueOf(index), fleet.tag());
  }

  /**
   * The machine dies: SIGKILL to every process in the namespace (dockerd, containerd, shims, and whatever
   * {@link #startProcess} started there) and to its containers, whose addresses vanish; link down. It stays dead
   * (the fleet has no restart for it); {@link #restoreLink} brings back only the wire: then the namespace's kernel
   * still answers ping and ARP for {@link #lanAddress}, with nothing listening behind it.
   */
  public void kill() {
    fleet.script("kill", String.valueOf(index), fleet.tag());
  }

  /**
   * Starts {@code command} "on" this host: {@code nsenter --net=<namespace> -- command}, output and errors appended
   * to {@code log}, environment = PATH plus {@code env} (nothing else of the test JVM's leaks in). Only the network
   * namespace is this host's: files, /sys and processes are the machine's. In particular /sys/class/net lists the
   * root namespace's links (nsenter does not remount /sys), so a check like the worker's "parent interface exists"
   * looks at the machine, not at this host. Destroyed by {@link #kill} and when the fleet closes.
   */
  public Process startProcess(List<String> command, Map<String, String> env, Path log) throws IOException {
    List<String> full = new ArrayList<>(List.of("nsenter", "--net=" + namespacePath(), "--"));
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    builder.environment().putAll(env);
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  /** Runs a short command inside the namespace (30 s at most), e.g. {@code etcdctl ... endpoint health}. */
  public Shell.Result run(String... command) {
    List<String> full = new ArrayList<>(List.of("nsenter", "--net=" + namespacePath(), "--"));
    full.addAll(List.of(command));
    return Shell.run(Duration.ofSeconds(30), full);
  }

  /** A docker-java client for this host's engine (created on first use, closed with the fleet). */
  public synchronized DockerClient docker() {
    if (docker == null) {
      DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
          .withDockerHost(dockerHost())
          .build();
      ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
          .dockerHost(URI.create(dockerHost()))
          .connectionTimeout(Duration.ofSeconds(5))
          .responseTimeout(Duration.ofSeconds(60))
          .build();
      docker = DockerClientImpl.getInstance(config, http);
    }
    return docker;
  }

  void close() {
    for (Process p : processes) {
      p.destroyForcibly();
    }
    synchronized (this) {
      if (docker != null) {
        try {
          docker.close();
        } catch (IOException ignored) {
          // the engine is going away with the fleet anyway
        }
        docker = null;
      }
    }
  }

  @Override
  public String toString() {
    return name() + "(" + lanAddress() + ", " + dockerHost() + ")";
  }
}
