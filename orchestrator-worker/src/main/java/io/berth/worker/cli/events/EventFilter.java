package io.berth.worker.cli.events;

import io.berth.events.CloudEvent;
import io.berth.events.EventData;
import io.berth.events.EventType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which lifecycle events {@code berth events} shows. Types are filtered by the broker (one binding per type: the
 * routing key is the type); the tenant by this process (no routing key carries it). Without {@code --type}, every type
 * but {@code WorkerHeartbeat}: each host sends one every 15 s, which would drown what people follow this for; name it
 * to see it.
 *
 * @param tenant only events of this tenant (events without one — heartbeats, rejections — are left out then)
 * @param types the types asked for; empty: the default set
 */
public record EventFilter(Optional<String> tenant, Set<EventType> types) {

  public EventFilter {
    types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
  }

  /** @throws IllegalArgumentException naming a type that is not a lifecycle event, with the ones that are */
  public static EventFilter of(String tenant, Collection<String> typeNames) {
    Set<EventType> types = EnumSet.noneOf(EventType.class);
    for (String name : typeNames) {
      EventType type = EventType.fromTypeName(name).filter(t -> t.kind() == EventType.Kind.LIFECYCLE)
          .orElseThrow(() -> new IllegalArgumentException("--type " + name + " is not a lifecycle event; one of "
              + lifecycleTypes().stream().map(EventType::typeName).collect(Collectors.joining(", "))));
      types.add(type);
    }
    return new EventFilter(Optional.ofNullable(tenant).filter(t -> !t.isBlank()), types);
  }

  /** The types the broker is asked for, as routing keys on {@code berth.lifecycle}. */
  public List<String> routingKeys() {
    Set<EventType> wanted = types.isEmpty() ? EnumSet.copyOf(lifecycleTypes()) : EnumSet.copyOf(types);
    if (types.isEmpty()) {
      wanted.remove(EventType.WORKER_HEARTBEAT);
    }
    return wanted.stream().map(EventType::typeName).toList();
  }

  public boolean accepts(CloudEvent<EventData> event) {
    EventType type = EventType.of(event.data());
    if (!routingKeys().contains(type.typeName())) {
      return false; // a binding of another consumer's making cannot reach this queue, but a stray publish could
    }
    return tenant.isEmpty() || tenant.get().equals(EventLine.tenantOf(event.data()));
  }

  private static List<EventType> lifecycleTypes() {
    List<EventType> lifecycle = new ArrayList<>(Arrays.asList(EventType.values()));
    lifecycle.removeIf(t -> t.kind() != EventType.Kind.LIFECYCLE);
    return lifecycle;
  }
}
