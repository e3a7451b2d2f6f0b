package io.berth.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every Berth event type: its wire name (CloudEvents {@code type} and routing key), kind and data record. */
public enum EventType {
  TRANSCODER_REQUESTED("TranscoderRequested", Kind.COMMAND, TranscoderRequested.class),
  TRANSCODER_RELEASED("TranscoderReleased", Kind.COMMAND, TranscoderReleased.class),
  TRANSCODER_RESTART_REQUESTED("TranscoderRestartRequested", Kind.COMMAND, TranscoderRestartRequested.class),
  ROOM_CLOSED("RoomClosed", Kind.COMMAND, RoomClosed.class),
  ROOM_DEMAND_CHANGED("RoomDemandChanged", Kind.COMMAND, RoomDemandChanged.class),
  TENANT_SUSPENDED("TenantSuspended", Kind.COMMAND, TenantSuspended.class),
  TENANT_RESUMED("TenantResumed", Kind.COMMAND, TenantResumed.class),

  TRANSCODER_STARTED("TranscoderStarted", Kind.LIFECYCLE, TranscoderStarted.class),
  TRANSCODER_STOPPED("TranscoderStopped", Kind.LIFECYCLE, TranscoderStopped.class),
  TRANSCODER_RESTARTED("TranscoderRestarted", Kind.LIFECYCLE, TranscoderRestarted.class),
  TRANSCODER_MOVED("TranscoderMoved", Kind.LIFECYCLE, TranscoderMoved.class),
  CONTAINER_CRASHED("ContainerCrashed", Kind.LIFECYCLE, ContainerCrashed.class),
  PROVISIONING_FAILED("ProvisioningFailed", Kind.LIFECYCLE, ProvisioningFailed.class),
  COMMAND_REJECTED("CommandRejected", Kind.LIFECYCLE, CommandRejected.class),
  ROOM_DEMAND_STATUS("RoomDemandStatus", Kind.LIFECYCLE, RoomDemandStatus.class),
  WORKER_HEARTBEAT("WorkerHeartbeat", Kind.LIFECYCLE, WorkerHeartbeat.class);

  /** Commands flow into workers; lifecycle events flow out of them. */
  public enum Kind { COMMAND, LIFECYCLE }

  private static final Map<String, EventType> BY_NAME = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(EventType::typeName, Function.identity()));
  private static final Map<Class<?>, EventType> BY_CLASS = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(EventType::dataClass, Function.identity()));

  private final String typeName;
  private final Kind kind;
  private final Class<? extends EventData> dataClass;

  EventType(String typeName, Kind kind, Class<? extends EventData> dataClass) {
    this.typeName = typeName;
    this.kind = kind;
    this.dataClass = dataClass;
  }

  /** CloudEvents {@code type} attribute and AMQP routing key. */
  public String typeName() {
    return typeName;
  }

  public Kind kind() {
    return kind;
  }

  public Class<? extends EventData> dataClass() {
    return dataClass;
  }

  /** Classpath resource of the JSON Schema describing this type's {@code data}. */
  public String schemaResource() {
    return "/schemas/" + typeName + ".json";
  }

  /** Exact, case-sensitive lookup; empty for unknown names (including null). */
  public static Optional<EventType> fromTypeName(String typeName) {
    return typeName == null ? Optional.empty() : Optional.ofNullable(BY_NAME.get(typeName));
  }

  public static EventType of(EventData data) {
    // EventData is sealed and every permitted record is listed above, so this cannot miss
    return BY_CLASS.get(data.getClass());
  }
}
