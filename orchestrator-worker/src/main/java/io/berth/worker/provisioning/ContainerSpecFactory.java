package io.berth.worker.provisioning;

import io.berth.events.Resources;
import io.berth.worker.config.Secret;
import io.berth.worker.config.WorkerConfig;
import io.berth.worker.docker.ContainerSpec;
import io.berth.worker.docker.Labels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Turns an accepted request into the container Berth wants, labels and spec hash included. */
public final class ContainerSpecFactory {
  private final WorkerConfig config;

  public ContainerSpecFactory(WorkerConfig config) {
    this.config = config;
  }

  /** What a request asks for, after defaults: the part of a container that, when it changes, means recreate. */
  public record Desired(TranscoderKey key, String roomId, String image, double cpus, int memoryMb) {}

  public Desired desired(TranscoderKey key, String roomId, String image, Resources resources) {
    return new Desired(key, roomId,
        image == null ? config.image() : image,
        resources == null ? config.limits().defaultCpus() : resources.cpus(),
        resources == null ? config.limits().defaultMemoryMb() : resources.memoryMb());
  }

  /** @param request the request that created it: the causation of crash events, which no command causes */
  public ContainerSpec spec(Desired desired, String ipAddress, CommandRef request) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.MANAGED, "true");
    labels.put(Labels.HOST, config.hostId());
    labels.put(Labels.TENANT, desired.key().tenantId());
    labels.put(Labels.TRANSCODER, desired.key().transcoderId());
    labels.put(Labels.ROOM, desired.roomId());
    labels.put(Labels.IP, ipAddress);
    labels.put(Labels.NETWORK, config.network().name());
    labels.put(Labels.SPEC_HASH, specHash(desired));
    labels.put(Labels.REQUEST, request.id());
    labels.put(Labels.REQUESTED_AT, request.time().toString());
    labels.putAll(config.extraLabels());
    Map<String, String> env = Map.of("LOCAL_IP", ipAddress, "EXTERNAL_IP", ipAddress);
    Map<String, Secret> secrets = new TreeMap<>();
    config.wcsPassword().ifPresent(p -> secrets.put("PASSWORD", p));
    config.wcsLicense().ifPresent(l -> secrets.put("LICENSE", l));
    return new ContainerSpec(desired.key().containerName(), desired.image(), config.network().name(), ipAddress,
        env, secrets, labels,
        Math.round(desired.cpus() * 1_000_000_000L),
        desired.memoryMb() * 1024L * 1024L,
        config.limits().pidsLimit(),
        Map.of("max-size", config.limits().logMaxSize(), "max-file", Integer.toString(config.limits().logMaxFiles())));
  }

  /**
   * A short digest of what the request decides (not the address, not secrets: rotating a password must not look like
   * a new spec, and a hash of a secret must not sit in a label; not the host's own settings such as the pids limit:
   * changing one must not recreate every transcoder at its next duplicate request — it applies to new containers).
   */
  public String specHash(Desired desired) {
    return digest(String.join("\n", desired.image(), desired.roomId(), Double.toString(desired.cpus()),
        Integer.toString(desired.memoryMb()), config.network().name()));
  }

  /** The digest earlier versions wrote, which also covered the pids limit: their containers must still match. */
  String legacySpecHash(Desired desired) {
    return digest(String.join("\n", desired.image(), desired.roomId(), Double.toString(desired.cpus()),
        Integer.toString(desired.memoryMb()), Long.toString(config.limits().pidsLimit()), config.network().name()));
  }

  /** Whether the container is what the request asks for; otherwise it is recreated. */
  public boolean matches(io.berth.worker.docker.ManagedContainer container, Desired desired) {
    return container.specHash().equals(specHash(desired)) || container.specHash().equals(legacySpecHash(desired));
  }

  private static String digest(String canonical) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
