package io.berth.worker.config;

import io.berth.events.Identifiers;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one worker needs, validated once at start. Secrets are {@link Secret}s, so {@code toString} is safe to log.
 *
 * @param amqpUri broker URI; it may carry a password, hence a secret
 * @param amqpAddresses {@code host:port} of every node of a broker cluster, tried in turn on connect and recovery;
 *     empty: the URI's host and port
 * @param allowedImages images a request may name; the configured {@code image} is always among them
 * @param observability HTTP port (metrics, health) and log format
 */
public record WorkerConfig(
    Secret amqpUri,
    List<String> amqpAddresses,
    String dockerHost,
    String hostId,
    NetworkConfig network,
    String image,
    List<String> allowedImages,
    int maxTranscoders,
    Optional<Secret> wcsPassword,
    Optional<Secret> wcsLicense,
    ContainerLimits limits,
    ReadinessConfig readiness,
    Duration stopTimeout,
    int concurrency,
    int prefetch,
    int hostPrefetch,
    int deliveryLimit,
    DockerRetryConfig dockerRetry,
    Duration shutdownGrace,
    Optional<String> extraLabel,
    SupervisionConfig supervision,
    CoordinationConfig coordination,
    ObservabilityConfig observability) {

  public WorkerConfig {
    Objects.requireNonNull(amqpUri, "amqpUri");
    amqpAddresses = List.copyOf(amqpAddresses);
    Objects.requireNonNull(dockerHost, "dockerHost");
    if (!Identifiers.isValid(hostId)) {
      throw new ConfigException(EnvNames.HOST_ID,
          "must be 1 to 63 characters of [a-z0-9-], not starting or ending with '-', got '" + hostId + "'");
    }
    Objects.requireNonNull(network, "network");
    if (image == null || image.isBlank()) {
      throw new ConfigException(EnvNames.IMAGE, "must not be empty");
    }
    allowedImages = List.copyOf(allowedImages);
    if (!allowedImages.contains(image)) {
      throw new ConfigException(EnvNames.ALLOWED_IMAGES, "must include " + EnvNames.IMAGE + " (" + image + ")");
    }
    if (maxTranscoders < 0) {
      throw new ConfigException(EnvNames.MAX_TRANSCODERS, "must be >= 0, got " + maxTranscoders);
    }
    Objects.requireNonNull(wcsPassword, "wcsPassword");
    Objects.requireNonNull(wcsLicense, "wcsLicense");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(readiness, "readiness");
    if (stopTimeout.isNegative()) {
      throw new ConfigException(EnvNames.STOP_TIMEOUT_SECONDS, "must be >= 0");
    }
    if (concurrency < 1 || concurrency > 256) {
      throw new ConfigException(EnvNames.CONCURRENCY, "must be 1 to 256, got " + concurrency);
    }
    if (prefetch < 1 || prefetch > 1000) {
      throw new ConfigException(EnvNames.PREFETCH, "must be 1 to 1000, got " + prefetch);
    }
    if (hostPrefetch < 1 || hostPrefetch > 1000) {
      throw new ConfigException(EnvNames.HOST_PREFETCH, "must be 1 to 1000, got " + hostPrefetch);
    }
    if (deliveryLimit < 1) {
      throw new ConfigException(EnvNames.DELIVERY_LIMIT, "must be >= 1, got " + deliveryLimit);
    }
    Objects.requireNonNull(dockerRetry, "dockerRetry");
    if (shutdownGrace.isNegative()) {
      throw new ConfigException(EnvNames.SHUTDOWN_GRACE_SECONDS, "must be >= 0");
    }
    Objects.requireNonNull(extraLabel, "extraLabel");
    Objects.requireNonNull(supervision, "supervision");
    Objects.requireNonNull(coordination, "coordination");
    Objects.requireNonNull(observability, "observability");
  }

  /** {@code BERTH_EXTRA_LABEL} as a label map: {@code key=value}, or {@code key} alone meaning {@code key=true}. */
  public java.util.Map<String, String> extraLabels() {
    return extraLabel.map(l -> {
      int eq = l.indexOf('=');
      return eq < 0 ? java.util.Map.of(l, "true") : java.util.Map.of(l.substring(0, eq), l.substring(eq + 1));
    }).orElse(java.util.Map.of());
  }

  /** {@code urn:berth:worker:<hostId>}: the CloudEvents {@code source} of everything this worker publishes. */
  public String eventSource() {
    return "urn:berth:worker:" + hostId;
  }
}
