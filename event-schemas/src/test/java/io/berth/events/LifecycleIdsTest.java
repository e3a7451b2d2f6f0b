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
  void anOccurrenceSeparatesRepeatsOfTheSameOutcome() {
    ContainerCrashed crash = new ContainerCrashed("acme", "tc-1", "host-a", "c1", 42, false, 0, true);
    String first = LifecycleIds.of("cmd-1", "2026-11-25T05:00:00.1Z", crash);

    assertThat(LifecycleIds.of("cmd-1", "2026-11-25T05:00:00.1Z", crash)).as("reported again").isEqualTo(first);
    assertThat(LifecycleIds.of("cmd-1", "2026-11-25T05:07:00.2Z", crash)).as("a later crash").isNotEqualTo(first);
    String name = "cmd-1\nContainerCrashed\n" + Json.canonical(crash) + "\n2026-11-25T05:00:00.1Z";
    assertThat(first).isEqualTo(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
    assertThat(LifecycleIds.of("cmd-1", null, crash)).isEqualTo(LifecycleIds.of("cmd-1", crash));
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

  @Test
  void aRoomsStatusHasOneIdWhicheverHostReportsIt() {
    RoomDemandStatus fromA = new RoomDemandStatus("acme", "room-42", 4, 2, 2, "host-a", "demand-1");
    RoomDemandStatus fromB = new RoomDemandStatus("acme", "room-42", 4, 2, 2, "host-b", "demand-1");
    String id = LifecycleIds.of("demand-1", "1", fromA);

    assertThat(LifecycleIds.of("demand-1", "1", fromB)).isEqualTo(id);
    assertThat(LifecycleIds.of("demand-1", "3", fromB)).as("the same state again, later").isNotEqualTo(id);
    assertThat(LifecycleIds.of("demand-1", "1", new RoomDemandStatus("acme", "room-42", 4, 3, 1, "host-a", "demand-1")))
        .isNotEqualTo(id);
    String name = "demand-1\nRoomDemandStatus\n{\"demandId\":\"demand-1\",\"desired\":4,\"pending\":2,"
        + "\"roomId\":\"room-42\",\"running\":2,\"tenantId\":\"acme\"}\n1";
    assertThat(id).isEqualTo(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
    // every other event keeps its hostId in the name
    assertThat(LifecycleIds.of("c", STOPPED))
        .isNotEqualTo(LifecycleIds.of("c", new TranscoderStopped("acme", "tc-1", "host-b", StopReason.RELEASED, true)));
  }
}
