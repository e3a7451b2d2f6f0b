package io.berth.events;

/** Lifecycle: periodic liveness and capacity report of one worker host. */
public record WorkerHeartbeat(String hostId, int capacity, int running, int free) implements LifecycleData {

  public WorkerHeartbeat {
    Identifiers.require("hostId", hostId);
    Checks.atLeast("capacity", capacity, 0);
    Checks.atLeast("running", running, 0);
    Checks.atLeast("free", free, 0);
  }
}
