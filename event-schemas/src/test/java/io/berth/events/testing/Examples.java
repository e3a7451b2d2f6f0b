package io.berth.events.testing;

import io.berth.events.CloudEvent;
import io.berth.events.CommandData;
import io.berth.events.ContainerCrashed;
import io.berth.events.LifecycleData;
import io.berth.events.Resources;
import io.berth.events.RoomClosed;
import io.berth.events.RoomDemandChanged;
import io.berth.events.TenantResumed;
import io.berth.events.TenantSuspended;
import io.berth.events.TranscoderReleased;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderRestartRequested;
import io.berth.events.TranscoderStarted;
import io.berth.events.WorkerHeartbeat;
import java.time.Instant;
import java.util.UUID;

/**
 * Ready-made events for tests in any module (shipped in the event-schemas test-jar). Commands get a
 * random UUID id, source {@value #SOURCE} and the current time.
 */
public final class Examples {

  public static final String SOURCE = "urn:berth:test";
  public static final String WORKER_SOURCE = "urn:berth:worker:test-host";

  private Examples() {
  }

  /** Wraps any command data the way a billing system would publish it. */
  public static <T extends CommandData> CloudEvent<T> command(T data) {
    return CloudEvent.command(UUID.randomUUID().toString(), SOURCE, Instant.now(), data);
  }

  /** Wraps lifecycle data as a worker would publish it in response to {@code cause}. */
  public static <T extends LifecycleData> CloudEvent<T> lifecycle(CloudEvent<?> cause, T data) {
    return CloudEvent.lifecycle(WORKER_SOURCE, cause == null ? null : cause.id(), Instant.now(), data);
  }

  /** Default image and resources (both omitted). */
  public static CloudEvent<TranscoderRequested> transcoderRequested(String tenant, String transcoder, String room) {
    return command(new TranscoderRequested(tenant, transcoder, room, null, null));
  }

  public static CloudEvent<TranscoderRequested> transcoderRequested(
      String tenant, String transcoder, String room, String image, double cpus, int memoryMb) {
    return command(new TranscoderRequested(tenant, transcoder, room, image, new Resources(cpus, memoryMb)));
  }

  public static CloudEvent<TranscoderReleased> transcoderReleased(String tenant, String transcoder) {
    return command(new TranscoderReleased(tenant, transcoder));
  }

  public static CloudEvent<TranscoderRestartRequested> transcoderRestartRequested(String tenant, String transcoder) {
    return command(new TranscoderRestartRequested(tenant, transcoder));
  }

  public static CloudEvent<RoomClosed> roomClosed(String tenant, String room) {
    return command(new RoomClosed(tenant, room));
  }

  /** Default image and resources (both omitted). */
  public static CloudEvent<RoomDemandChanged> roomDemandChanged(String tenant, String room, int transcoders) {
    return command(new RoomDemandChanged(tenant, room, transcoders, null, null));
  }

  public static CloudEvent<TenantSuspended> tenantSuspended(String tenant) {
    return command(new TenantSuspended(tenant));
  }

  public static CloudEvent<TenantResumed> tenantResumed(String tenant) {
    return command(new TenantResumed(tenant));
  }

  /** A plausible start event answering {@code request}. */
  public static CloudEvent<TranscoderStarted> transcoderStarted(CloudEvent<TranscoderRequested> request, String host) {
    TranscoderRequested r = request.data();
    return lifecycle(request, new TranscoderStarted(r.tenantId(), r.transcoderId(), r.roomId(), host,
        "4f1c2a9e0b7d", "berth-" + r.tenantId() + "-" + r.transcoderId(), "berth-media", "198.51.100.10"));
  }

  public static CloudEvent<ContainerCrashed> containerCrashed(String tenant, String transcoder, String host) {
    return lifecycle(null, new ContainerCrashed(tenant, transcoder, host, "4f1c2a9e0b7d", 137, true, 0, true));
  }

  public static CloudEvent<WorkerHeartbeat> heartbeat(String host, int capacity, int running) {
    return lifecycle(null, new WorkerHeartbeat(host, capacity, running, Math.max(0, capacity - running)));
  }
}
