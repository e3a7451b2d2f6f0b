package io.berth.worker.provisioning;

import io.berth.worker.config.NetworkConfig;
import io.berth.worker.docker.DockerGateway;
import io.berth.worker.docker.Labels;
import io.berth.worker.docker.NetworkSpec;
import io.berth.worker.config.Ipv4;
import java.util.Map;

/**
 * Makes sure the transcoder network exists as configured before anything joins it. Checked until it once succeeds;
 * a conflicting network keeps failing every provision with a clear reason rather than being used.
 */
public final class NetworkGuard {
  private final DockerGateway docker;
  private final NetworkSpec spec;
  private volatile boolean verified;

  public NetworkGuard(DockerGateway docker, NetworkConfig network, Map<String, String> extraLabels) {
    this.docker = docker;
    java.util.Map<String, String> labels = new java.util.HashMap<>(extraLabels);
    labels.put(Labels.MANAGED + "-network", "true");
    this.spec = new NetworkSpec(network.name(), network.driver().dockerName(), network.parent(),
        network.subnet().toString(), Ipv4.format(network.gateway()), network.ipRange().toString(),
        network.modeOption(), network.mode(), labels);
  }

  public void ensure() {
    if (!verified) {
      docker.ensureNetwork(spec);
      verified = true;
    }
  }

  /** Docker said the network is gone: check (and create) it again on the next {@link #ensure()}. */
  public void forget() {
    verified = false;
  }
}
