package io.berth.events;

/** The {@code data} of a Berth CloudEvent. One record per {@link EventType}. */
public sealed interface EventData permits CommandData, LifecycleData {
}
