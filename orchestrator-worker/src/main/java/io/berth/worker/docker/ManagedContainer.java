package io.berth.worker.docker;

import java.util.Map;
import java.util.Objects;

/** A container Berth created, as Docker reports it; every business fact comes from its labels. */
public record ManagedContainer(String id, String name, String state, Map<String, String> labels, int exitCode,
    boolean oomKilled, String startedAt) {

  /** As a list call reports it: no exit details. */
  public ManagedContainer(String id, String name, String state, Map<String, String> labels) {
    this(id, name, state, labels, -1, false, "");
  }


  public ManagedContainer {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    labels = Map.copyOf(labels);
    startedAt = startedAt == null ? "" : startedAt; // Docker's State.StartedAt: names one run of the container
  }

  public String label(String key) {
    return labels.getOrDefault(key, "");
  }

  public String hostId() {
    return label(Labels.HOST);
  }

  public String tenantId() {
    return label(Labels.TENANT);
  }

  public String transcoderId() {
    return label(Labels.TRANSCODER);
  }

  public String roomId() {
    return label(Labels.ROOM);
  }

  public String ipAddress() {
    return label(Labels.IP);
  }

  public String specHash() {
    return label(Labels.SPEC_HASH);
  }

  /** When the request that made it was issued; empty for containers made before Berth labelled it. */
  public java.util.Optional<java.time.Instant> requestedAt() {
    try {
      return label(Labels.REQUESTED_AT).isEmpty() ? java.util.Optional.empty()
          : java.util.Optional.of(java.time.Instant.parse(label(Labels.REQUESTED_AT)));
    } catch (java.time.format.DateTimeParseException e) {
      return java.util.Optional.empty(); // labels can be set by hand: an unreadable one counts as none
    }
  }

  public boolean isRunning() {
    return "running".equals(state) || "restarting".equals(state);
  }
}
