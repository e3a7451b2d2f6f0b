package io.berth.worker.cli.preflight;

import io.berth.events.Identifiers;
import io.berth.worker.config.EnvConfigLoader;
import io.berth.worker.config.EnvNames;
import io.berth.worker.config.Ipv4;
import io.berth.worker.config.Ipv4Cidr;
import io.berth.worker.config.NetworkDriver;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The worker's environment variables read one at a time, forgivingly. {@link EnvConfigLoader} stops at the first bad
 * variable, which is right for a worker; preflight wants to check everything it can, so each value here is read on
 * its own (same defaults, same parsers) and is empty when unset or unreadable — the {@code config} check reports why.
 */
public final class PreflightEnv {
  private final Map<String, String> env;

  public PreflightEnv(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public Map<String, String> asMap() {
    return env;
  }

  /** Set and not blank, trimmed, as the loader reads it. */
  public Optional<String> get(String variable) {
    return Optional.ofNullable(env.get(variable)).map(String::trim).filter(v -> !v.isEmpty());
  }

  public String dockerHost() {
    return get(EnvNames.DOCKER_HOST).orElse(EnvConfigLoader.DEFAULT_DOCKER_HOST);
  }

  /** Only a local engine shares this host's interfaces and addresses; a remote one's are checked on its host. */
  public boolean dockerIsLocal() {
    return dockerHost().startsWith("unix://");
  }

  public String networkName() {
    return get(EnvNames.NETWORK_NAME).orElse(EnvConfigLoader.DEFAULT_NETWORK_NAME);
  }

  public Optional<String> parent() {
    return get(EnvNames.NETWORK_PARENT);
  }

  public Optional<NetworkDriver> driver() {
    return parsed(get(EnvNames.NETWORK_DRIVER).orElse("ipvlan"), NetworkDriver::parse);
  }

  /** The driver's mode as the worker would use it (l2 / bridge by default). */
  public Optional<String> mode() {
    return driver().map(d -> d == NetworkDriver.IPVLAN
        ? get(EnvNames.IPVLAN_MODE).orElse("l2") : get(EnvNames.MACVLAN_MODE).orElse("bridge"));
  }

  public Optional<Ipv4Cidr> subnet() {
    return get(EnvNames.NETWORK_SUBNET).flatMap(v -> parsed(v, Ipv4Cidr::parse));
  }

  public Optional<Integer> gateway() {
    return get(EnvNames.NETWORK_GATEWAY).flatMap(v -> parsed(v, Ipv4::parse));
  }

  /** The host's own address on the LAN (BERTH_NETWORK_HOST_SHIM), when set and readable. */
  public Optional<Integer> hostShim() {
    return get(EnvNames.NETWORK_HOST_SHIM).flatMap(v -> parsed(v, Ipv4::parse));
  }

  public Optional<Ipv4Cidr> ipRange() {
    return get(EnvNames.NETWORK_IP_RANGE).flatMap(v -> parsed(v, Ipv4Cidr::parse));
  }

  public String image() {
    return get(EnvNames.IMAGE).orElse(EnvConfigLoader.DEFAULT_IMAGE);
  }

  public List<String> allowedImages() {
    return get(EnvNames.ALLOWED_IMAGES)
        .map(list -> Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList())
        .orElse(List.of(image()));
  }

  /** May carry a password: never print it. */
  public String amqpUri() {
    return get(EnvNames.AMQP_URI).orElse(EnvConfigLoader.DEFAULT_AMQP_URI);
  }

  /** The broker as the worker reaches it; nodes the config check refuses are left out here (it says why). */
  public io.berth.worker.messaging.BrokerEndpoint broker() {
    List<String> nodes;
    try {
      nodes = io.berth.worker.messaging.BrokerEndpoint.parseNodes(get(EnvNames.AMQP_ADDRESSES).orElse(""));
    } catch (IllegalArgumentException e) {
      nodes = List.of();
    }
    return new io.berth.worker.messaging.BrokerEndpoint(io.berth.worker.config.Secret.of(amqpUri()), nodes);
  }

  /** The host id as the worker would take it; empty when neither it nor HOSTNAME is a valid identifier. */
  public Optional<String> hostId() {
    return get(EnvNames.HOST_ID).or(() -> get("HOSTNAME").map(h -> h.toLowerCase(Locale.ROOT)))
        .filter(Identifiers::isValid);
  }

  public Optional<Integer> deliveryLimit() {
    return parsed(get(EnvNames.DELIVERY_LIMIT).orElse(String.valueOf(io.berth.events.Contract.DELIVERY_LIMIT)),
        Integer::parseInt).filter(limit -> limit >= 1);
  }

  public Path stateDir() {
    return Path.of(get(EnvNames.STATE_DIR).orElse(EnvConfigLoader.DEFAULT_STATE_DIR));
  }

  /** Fleet mode: {@code BERTH_ETCD_ENDPOINTS} is set. */
  public boolean fleet() {
    return get(EnvNames.ETCD_ENDPOINTS).isPresent();
  }

  /** The endpoints that parse as {@code http(s)://host:port}; the config check names a bad one. */
  public List<URI> etcdEndpoints() {
    List<URI> endpoints = new ArrayList<>();
    for (String raw : get(EnvNames.ETCD_ENDPOINTS).map(v -> v.split(",")).orElse(new String[0])) {
      parsed(raw.trim(), URI::create)
          .filter(u -> ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
              && u.getPort() >= 0)
          .ifPresent(endpoints::add);
    }
    return endpoints;
  }

  public String etcdPrefix() {
    return get(EnvNames.ETCD_PREFIX).orElse(EnvConfigLoader.DEFAULT_ETCD_PREFIX);
  }

  private static <T> Optional<T> parsed(String raw, Function<String, T> parser) {
    try {
      return Optional.of(parser.apply(raw));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
