package io.berth.worker.docker;

import java.time.Instant;
import java.util.Map;

/** One Docker container event (die, oom, ...) of a Berth container, with the container's labels as attributes. */
public record ContainerEvent(String containerId, String action, Instant time, Map<String, String> attributes) {

  public ContainerEvent {
    attributes = Map.copyOf(attributes);
  }

  /** The exit code a die event carries, or -1. */
  public int exitCode() {
    try {
      return Integer.parseInt(attributes.getOrDefault("exitCode", "-1"));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public String label(String key) {
    return attributes.getOrDefault(key, "");
  }
}
