package io.berth.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LifecycleIdsTest {

  private static final TranscoderStopped STOPPED =
      new TranscoderStopped("acme", "tc-1", "host-a", StopReason.RELEASED, true);

  @Test
  void sameCommandAndOutcomeGiveTheSameIdWhateverTheTime() {
    CloudEvent<TranscoderStopped> first = CloudEvent.lifecycle("urn:berth:worker:host-a", "cmd-1",
        Instant.parse("2026-11-24T15:00:00Z"), STOPPED);
    CloudEvent<TranscoderStopped> replay = CloudEvent.lifecycle("urn:berth:worker:host-a", "cmd-1",
        Instant.parse("2026-11-24T15:05:00Z"), new TranscoderStopped("acme", "tc-1", "host-a", StopReason.RELEASED, true));

    assertThat(replay.id()).isEqualTo(first.id());
    assertThat(UUID.fromString(first.id()).version()).isEqualTo(3);
  }

  @Test
  void differentOutcomeOrCauseGivesADifferentId() {
    String id = LifecycleIds.of("cmd-1", STOPPED);

    assertThat(LifecycleIds.of("cmd-1", new TranscoderStopped("acme", "tc-1", "host-a", StopReason.RELEASED, false))).isNotEqualTo(id);
    assertThat(LifecycleIds.of("cmd-2", STOPPED)).isNotEqualTo(id);
    assertThat(LifecycleIds.of("cmd-1", new TranscoderRestarted("acme", "tc-1", "host-a", RestartCause.CRASHED, 1)))
        .isNotEqualTo(LifecycleIds.of("cmd-1", new TranscoderRestarted("acme", "tc-1", "host-a", RestartCause.CRASHED, 2)));
  }

  /** Pins the documented algorithm so other languages can reproduce the ids. */
  @Test
  void idIsTheNameBasedUuidOfCausationTypeAndSortedCompactJson() {
    String name = "cmd-1\nTranscoderStopped\n"
        + "{\"hostId\":\"host-a\",\"reason\":\"released\",\"removed\":true,\"tenantId\":\"acme\",\"transcoderId\":\"tc-1\"}";

    assertThat(LifecycleIds.of("cmd-1", STOPPED))
        .isEqualTo(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
  }

  @Test
  void nullFieldsAreLeftOutOfTheCanonicalForm() {
    CommandRejected rejected = new CommandRejected(null, "RoomClosed", "schema-violation", "data.roomId: is required");
    String name = "cmd-1\nCommandRejected\n"
        + "{\"code\":\"schema-violation\",\"commandType\":\"RoomClosed\",\"message\":\"data.roomId: is required\"}";

    assertThat(LifecycleIds.of("cmd-1", rejected)).isEqualTo(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
  }

  @Test
  void withoutCausationTheIdIsRandom() {
    WorkerHeartbeat heartbeat = new WorkerHeartbeat("host-a", 4, 1, 3);

    String a = LifecycleIds.of(null, heartbeat);
    String b = LifecycleIds.of(null, heartbeat);

    assertThat(a).isNotEqualTo(b);
    assertThat(UUID.fromString(a).version()).isEqualTo(4);
  }
}
