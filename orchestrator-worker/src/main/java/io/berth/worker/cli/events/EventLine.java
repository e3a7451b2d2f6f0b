package io.berth.worker.cli.events;

import io.berth.events.CloudEvent;
import io.berth.events.CommandRejected;
import io.berth.events.ContainerCrashed;
import io.berth.events.EventData;
import io.berth.events.ProvisioningFailed;
import io.berth.events.RoomDemandStatus;
import io.berth.events.TranscoderMoved;
import io.berth.events.TranscoderRestarted;
import io.berth.events.TranscoderStarted;
import io.berth.events.TranscoderStopped;
import io.berth.events.WorkerHeartbeat;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One lifecycle event as one readable line: time, type, tenant/transcoder, host, then the facts that matter for its
 * type as {@code key=value} (like the worker's logs, so the same greps work):
 *
 * <pre>
 * 2026-11-24T15:41:14.870Z  TranscoderStarted    acme/tc-0001  host-a  room=room-42 ip=198.51.100.17 ...
 * </pre>
 */
public final class EventLine {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);
  private static final String WORKER_SOURCE = "urn:berth:worker:";

  private EventLine() {}

  public static String format(CloudEvent<EventData> event) {
    EventData data = event.data();
    String subject = tenantOf(data) == null ? "-" : tenantOf(data) + "/" + transcoderOf(data);
    return String.format("%s  %-19s  %-24s  %-12s  %s", TIME.format(event.time()), event.type(), subject,
        host(event), facts(event)).stripTrailing();
  }

  /** The tenant an event is about; null for heartbeats and rejections. */
  static String tenantOf(EventData data) {
    if (data instanceof TranscoderStarted d) {
      return d.tenantId();
    } else if (data instanceof TranscoderStopped d) {
      return d.tenantId();
    } else if (data instanceof TranscoderRestarted d) {
      return d.tenantId();
    } else if (data instanceof TranscoderMoved d) {
      return d.tenantId();
    } else if (data instanceof ContainerCrashed d) {
      return d.tenantId();
    } else if (data instanceof ProvisioningFailed d) {
      return d.tenantId();
    } else if (data instanceof RoomDemandStatus d) {
      return d.tenantId();
    }
    return null;
  }

  private static String transcoderOf(EventData data) {
    if (data instanceof TranscoderStarted d) {
      return d.transcoderId();
    } else if (data instanceof TranscoderStopped d) {
      return d.transcoderId();
    } else if (data instanceof TranscoderRestarted d) {
      return d.transcoderId();
    } else if (data instanceof TranscoderMoved d) {
      return d.transcoderId();
    } else if (data instanceof ContainerCrashed d) {
      return d.transcoderId();
    } else if (data instanceof ProvisioningFailed d) {
      return d.transcoderId();
    }
    return "-";
  }

  /** The host that acts: where it runs now (a move: the new host); for a rejection, the worker that refused. */
  private static String host(CloudEvent<EventData> event) {
    EventData data = event.data();
    if (data instanceof TranscoderStarted d) {
      return d.hostId();
    } else if (data instanceof TranscoderStopped d) {
      return d.hostId();
    } else if (data instanceof TranscoderRestarted d) {
      return d.hostId();
    } else if (data instanceof TranscoderMoved d) {
      return d.toHostId();
    } else if (data instanceof ContainerCrashed d) {
      return d.hostId();
    } else if (data instanceof ProvisioningFailed d) {
      return d.hostId();
    } else if (data instanceof WorkerHeartbeat d) {
      return d.hostId();
    } else if (data instanceof RoomDemandStatus d) {
      return d.hostId();
    }
    return event.source().startsWith(WORKER_SOURCE) ? event.source().substring(WORKER_SOURCE.length())
        : event.source();
  }

  private static String facts(CloudEvent<EventData> event) {
    EventData data = event.data();
    if (data instanceof TranscoderStarted d) {
      return "room=" + d.roomId() + " ip=" + d.ipAddress() + " container=" + d.containerName();
    } else if (data instanceof TranscoderStopped d) {
      return "reason=" + d.reason().value() + " removed=" + d.removed();
    } else if (data instanceof TranscoderRestarted d) {
      return "cause=" + d.cause().value() + " restarts=" + d.restartCount();
    } else if (data instanceof TranscoderMoved d) {
      return "from=" + d.fromHostId() + " to=" + d.toHostId() + " ip=" + d.ipAddress() + " room=" + d.roomId()
          + " reason=" + d.reason().value();
    } else if (data instanceof ContainerCrashed d) {
      return "exit=" + d.exitCode() + " oom=" + d.oomKilled() + " restarts=" + d.restartCount() + " willRestart="
          + d.willRestart();
    } else if (data instanceof ProvisioningFailed d) {
      return "code=" + d.code() + " retriable=" + d.retriable() + " request=" + event.causationid() + " message="
          + quoted(d.message());
    } else if (data instanceof CommandRejected d) {
      return "code=" + d.code() + " command=" + (d.commandType() == null ? "-" : d.commandType()) + " id="
          + (d.commandId() == null ? "-" : d.commandId()) + " message=" + quoted(d.message());
    } else if (data instanceof WorkerHeartbeat d) {
      return "capacity=" + d.capacity() + " running=" + d.running() + " free=" + d.free();
    } else if (data instanceof RoomDemandStatus d) {
      return "room=" + d.roomId() + " desired=" + d.desired() + " running=" + d.running() + " pending=" + d.pending()
          + " demand=" + (d.demandId() == null ? "-" : d.demandId());
    }
    return "";
  }

  /** Quoted like the worker's log messages: one line, quotes and backslashes escaped. */
  static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n") + "\"";
  }
}
