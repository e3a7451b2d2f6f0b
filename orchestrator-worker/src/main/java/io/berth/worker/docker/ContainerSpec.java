package io.berth.worker.docker;

import io.berth.worker.config.Secret;
import java.util.Map;
import java.util.Objects;

/**
 * One WCS container as Berth wants it. {@code secretEnv} holds PASSWORD/LICENSE: it goes to Docker and nowhere else,
 * which is why it is a separate map of {@link Secret}s and why {@code toString} lists only its keys.
 */
public record ContainerSpec(
    String name,
    String image,
    String network,
    String ipAddress,
    Map<String, String> env,
    Map<String, Secret> secretEnv,
    Map<String, String> labels,
    long nanoCpus,
    long memoryBytes,
    long pidsLimit,
    Map<String, String> logOptions) {

  public ContainerSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(ipAddress, "ipAddress");
    env = Map.copyOf(env);
    secretEnv = Map.copyOf(secretEnv);
    labels = Map.copyOf(labels);
    logOptions = Map.copyOf(logOptions);
    if (nanoCpus <= 0 || memoryBytes <= 0 || pidsLimit <= 0) {
      throw new IllegalArgumentException("cpu, memory and pids limits must be positive");
    }
  }

  @Override
  public String toString() {
    return "ContainerSpec[name=" + name + ", image=" + image + ", network=" + network + ", ipAddress=" + ipAddress
        + ", env=" + env + ", secretEnv=" + secretEnv.keySet() + ", labels=" + labels + ", nanoCpus=" + nanoCpus
        + ", memoryBytes=" + memoryBytes + ", pidsLimit=" + pidsLimit + ", logOptions=" + logOptions + "]";
  }
}
