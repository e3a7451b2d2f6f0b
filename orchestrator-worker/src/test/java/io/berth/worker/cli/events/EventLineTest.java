package io.berth.worker.cli.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.events.CloudEvent;
import io.berth.events.CommandRejected;
import io.berth.events.ContainerCrashed;
import io.berth.events.EventData;
import io.berth.events.LifecycleData;
import io.berth.events.ProvisioningFailed;
import io.berth.events.RestartCause;
import io.berth.events.StopReason;
import io.berth.events.TranscoderMoved;
import io.berth.events.TranscoderRestarted;
import io.berth.events.TranscoderStarted;
import io.berth.events.TranscoderStopped;
import io.berth.events.WorkerHeartbeat;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventLineTest {
  static final Instant T = Instant.parse("2026-11-24T15:41:14Z");
  static final String REQUEST = "7d0c6f9e-3c1a-4a52-9d0e-2b8f1e6a4c11";

  @SuppressWarnings("unchecked")
  static CloudEvent<EventData> event(String host, LifecycleData data) {
    return (CloudEvent<EventData>) (CloudEvent<?>) CloudEvent.lifecycle("urn:berth:worker:" + host, REQUEST, T, data);
  }

  @Test
  void eachTypeWithTheFactsThatMatterForIt() {
    assertThat(EventLine.format(event("host-a", new TranscoderStarted("acme", "tc-0001", "room-42", "host-a", "3f9a",
        "berth-acme-tc-0001", "berth-wcs", "198.51.100.17")))).isEqualTo("2026-11-24T15:41:14.000Z  TranscoderStarted"
        + "    acme/tc-0001              host-a        room=room-42 ip=198.51.100.17 container=berth-acme-tc-0001");
    assertThat(EventLine.format(event("host-a", new TranscoderStopped("acme", "tc-0001", "host-a",
        StopReason.ROOM_CLOSED, true)))).endsWith("  TranscoderStopped    acme/tc-0001              host-a       "
        + " reason=room-closed removed=true");
    assertThat(EventLine.format(event("host-a", new TranscoderRestarted("acme", "tc-0001", "host-a",
        RestartCause.CRASHED, 2)))).endsWith("host-a        cause=crashed restarts=2");
    assertThat(EventLine.format(event("host-b", new TranscoderMoved("acme", "tc-0001", "room-42", "host-a", "host-b",
        "198.51.100.40", TranscoderMoved.Reason.HOST_LOST)))).endsWith("acme/tc-0001              host-b       "
        + " from=host-a to=host-b ip=198.51.100.40 room=room-42 reason=host-lost");
    assertThat(EventLine.format(event("host-a", new ContainerCrashed("acme", "tc-0001", "host-a", "3f9a", 137, true, 1,
        false)))).endsWith("exit=137 oom=true restarts=1 willRestart=false");
    assertThat(EventLine.format(event("host-a", new WorkerHeartbeat("host-a", 20, 3, 17))))
        .endsWith("  WorkerHeartbeat      -                         host-a        capacity=20 running=3 free=17");
    assertThat(EventLine.format(event("host-b", new io.berth.events.RoomDemandStatus("acme", "room-42", 4, 3, 1,
        "host-b", "d-1")))).endsWith("  RoomDemandStatus     acme/-                    host-b        room=room-42"
        + " desired=4 running=3 pending=1 demand=d-1");
  }

  @Test
  void messagesAreQuotedOnOneLine() {
    assertThat(EventLine.format(event("host-b", new ProvisioningFailed("acme", "tc-2", "host-b", "image-unknown",
        "image \"wcs:9.9\"\nnot present", false)))).endsWith("ProvisioningFailed   acme/tc-2                 host-b"
        + "        code=image-unknown retriable=false request=" + REQUEST
        + " message=\"image \\\"wcs:9.9\\\"\\nnot present\"");
  }

  @Test
  void aRejectionNamesTheWorkerThatRefusedAndTheCommand() {
    assertThat(EventLine.format(event("host-c", new CommandRejected("d1e2", "TranscoderRequested",
        "invalid-identifier", "data.tenantId: bad")))).endsWith("CommandRejected      -                        "
        + " host-c        code=invalid-identifier command=TranscoderRequested id=d1e2 message=\"data.tenantId: bad\"");
    assertThat(EventLine.format(event("host-c", new CommandRejected(null, null, "malformed-json", "not JSON"))))
        .contains("command=- id=-");
  }
}
