package io.berth.events;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic ids for lifecycle events. A worker may process a command twice (redelivery after
 * a crash); deriving the id from the command id and the outcome makes the republished event carry
 * the same id, so consumers can de-duplicate on {@code id}. Time is deliberately not an input.
 */
public final class LifecycleIds {

  private LifecycleIds() {
  }

  /**
   * Name-based (version 3) UUID over {@code causationId + "\n" + typeName + "\n" + canonicalJson(data)},
   * where canonical JSON is the codec's serialization with object keys sorted. Returns a random
   * UUID when there is no causing command (heartbeats): such events have nothing to repeat.
   */
  public static String of(String causationId, LifecycleData data) {
    return of(causationId, null, data);
  }

  /**
   * As {@link #of(String, LifecycleData)}, for events one command causes more than once (a transcoder's crashes,
   * its restarts after them, its moves): {@code occurrence} names the one this event reports (for a crash, Docker's
   * {@code State.StartedAt} of the run that ended) and is appended as {@code "\n" + occurrence}. The same occurrence
   * reported again keeps its id; a later one gets a new id even when every field of {@code data} is the same.
   */
  public static String of(String causationId, String occurrence, LifecycleData data) {
    Checks.required("data", data);
    if (causationId == null) {
      return UUID.randomUUID().toString();
    }
    String name = causationId + "\n" + EventType.of(data).typeName() + "\n" + canonical(data)
        + (occurrence == null || occurrence.isEmpty() ? "" : "\n" + occurrence);
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /**
   * The data as it enters the name. A {@link RoomDemandStatus} leaves out {@code hostId}: it reports the room, which
   * every host sees alike, so two hosts reporting the same state of the same demand give one id, and consumers keep one.
   */
  private static String canonical(LifecycleData data) {
    return data instanceof RoomDemandStatus ? Json.canonicalWithout(data, "hostId") : Json.canonical(data);
  }
}
