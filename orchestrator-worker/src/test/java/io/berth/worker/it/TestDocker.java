package io.berth.worker.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A plain docker-java client for test set-up and assertions, independent of the worker's own gateway. */
public final class TestDocker {
  public static final String STANDIN_IMAGE = "berth/wcs-standin:latest";
  public static final String TEST_LABEL = "io.berth.test";

  private static final DockerClient CLIENT = create();

  private TestDocker() {}

  private static DockerClient create() {
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .responseTimeout(Duration.ofSeconds(60))
        .build();
    return DockerClientImpl.getInstance(config, http);
  }

  public static DockerClient client() {
    return CLIENT;
  }

  public static String dockerHost() {
    return DefaultDockerClientConfig.createDefaultConfigBuilder().build().getDockerHost().toString();
  }

  public static List<Container> containersLabelled(String key, String value) {
    return CLIENT.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(key, value)).exec();
  }

  public static InspectContainerResponse inspect(String nameOrId) {
    return CLIENT.inspectContainerCmd(nameOrId).exec();
  }

  /** Removes every container on the network, then the network; quiet when already gone. */
  public static void removeNetworkAndContainers(String network) {
    try {
      Network n = CLIENT.inspectNetworkCmd().withNetworkId(network).exec();
      if (n.getContainers() != null) {
        n.getContainers().keySet().forEach(TestDocker::removeContainer);
      }
    } catch (RuntimeException ignored) {
      // not there
    }
    containersLabelled("io.berth.network", network).forEach(c -> removeContainer(c.getId()));
    try {
      CLIENT.removeNetworkCmd(network).exec();
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).contains("has active endpoints") && attachedTo(network).isEmpty()) {
        restartDaemonForStaleEndpoints(network);
      } // else: not there
    }
  }

  private static java.util.Set<String> attachedTo(String network) {
    try {
      Network n = CLIENT.inspectNetworkCmd().withNetworkId(network).exec();
      return n.getContainers() == null ? java.util.Set.of() : n.getContainers().keySet();
    } catch (RuntimeException gone) {
      return java.util.Set.of();
    }
  }

  /**
   * Docker 20.10 sometimes keeps an endpoint count for a network that no container explains; the network then cannot
   * be removed and blocks its subnet for every later test. Only a daemon restart clears it ("Fixing inconsistent
   * endpoint_cnt"): done here, loudly, with {@code scripts/dockerd-restart.sh}.
   */
  private static void restartDaemonForStaleEndpoints(String network) {
    Path script = null;
    for (Path dir = Path.of("").toAbsolutePath(); dir != null && script == null; dir = dir.getParent()) {
      Path candidate = dir.resolve("scripts").resolve("dockerd-restart.sh");
      script = java.nio.file.Files.isRegularFile(candidate) ? candidate : null;
    }
    if (script == null) {
      System.err.println("[test-docker] network " + network + " has stale endpoints; scripts/dockerd-restart.sh not found");
      return;
    }
    System.err.println("[test-docker] network " + network + " has an endpoint count no container explains (Docker 20.10):"
        + " restarting dockerd");
    Shell.Result r = Shell.run(Duration.ofSeconds(150), java.util.List.of("bash", script.toString()));
    System.err.println(r.output().strip());
    try {
      CLIENT.removeNetworkCmd(network).exec();
    } catch (RuntimeException e) {
      System.err.println("[test-docker] network " + network + " still not removable: " + e.getMessage());
    }
  }

  public static void removeContainer(String id) {
    try {
      CLIENT.removeContainerCmd(id).withForce(true).exec();
    } catch (RuntimeException ignored) {
      // already gone
    }
  }
}
