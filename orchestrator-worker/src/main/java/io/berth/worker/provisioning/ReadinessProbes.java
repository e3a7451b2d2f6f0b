package io.berth.worker.provisioning;

import io.berth.worker.config.ReadinessConfig;
import io.berth.worker.docker.DockerCallException;
import io.berth.worker.docker.DockerGateway;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** The three readiness strategies of {@link ReadinessConfig.Mode}. */
public final class ReadinessProbes {
  private ReadinessProbes() {}

  public static ReadinessProbe of(ReadinessConfig config, DockerGateway docker) {
    return switch (config.mode()) {
      case EXEC -> exec(config, docker);
      case HTTP -> http(config);
      case NONE -> (id, ip) -> true;
    };
  }

  /** Asks from inside the container with whichever of wget/curl the image has: WCS's own loopback view. */
  static ReadinessProbe exec(ReadinessConfig config, DockerGateway docker) {
    String url = "http://127.0.0.1:" + config.port() + config.path();
    List<String> command = List.of("sh", "-c",
        "wget -q -O /dev/null '" + url + "' 2>/dev/null || curl -fsS -o /dev/null '" + url + "'");
    return (id, ip) -> {
      try {
        return docker.exec(id, command, Duration.ofSeconds(5)) == 0;
      } catch (DockerCallException e) {
        return false; // e.g. 409: it stopped between our look and the exec; the waiter sees that next round
      }
    };
  }

  /** Connects to the container's own address, as a LAN client would (needs a host route to it). */
  static ReadinessProbe http(ReadinessConfig config) {
    return (id, ip) -> {
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://" + ip + ":" + config.port() + config.path())
            .toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        try {
          return c.getResponseCode() / 100 == 2;
        } finally {
          c.disconnect();
        }
      } catch (IOException e) {
        return false;
      }
    };
  }
}
