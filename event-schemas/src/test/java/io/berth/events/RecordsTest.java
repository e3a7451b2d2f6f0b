package io.berth.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class RecordsTest {

  private static final Instant NOW = Instant.parse("2026-11-24T15:41:11.123Z");

  @ParameterizedTest
  @ValueSource(strings = {"a", "0", "acme", "tc-0001", "a-b-c", "123"})
  void validIdentifiers(String id) {
    assertThat(Identifiers.isValid(id)).isTrue();
    assertThat(Identifiers.require("tenantId", id)).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "A", "Acme", "a_b", "-a", "a-", "-", "a b", "a.b", "a\n", "\u00e4",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
  void invalidIdentifiers(String id) {
    assertThat(Identifiers.isValid(id)).isFalse();
    assertThatThrownBy(() -> Identifiers.require("tenantId", id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tenantId must be 1 to 63 characters of [a-z0-9-], not starting or ending with '-'");
  }

  @Test
  void nullIsNotAnIdentifier() {
    assertThat(Identifiers.isValid(null)).isFalse();
    assertThatThrownBy(() -> Identifiers.require("hostId", null)).hasMessageStartingWith("hostId must be");
  }

  @Test
  void recordsNameTheOffendingField() {
    assertThatThrownBy(() -> new TranscoderRequested("acme", "tc-1", "Room", null, null)).hasMessageStartingWith("roomId ");
    assertThatThrownBy(() -> new TranscoderRequested("acme", "tc-1", "room", "", null)).hasMessage("image must not be empty");
    assertThatThrownBy(() -> new TranscoderReleased("acme", null)).hasMessageStartingWith("transcoderId ");
    assertThatThrownBy(() -> new TranscoderRestartRequested("ACME", "tc-1")).hasMessageStartingWith("tenantId ");
    assertThatThrownBy(() -> new RoomClosed("acme", "-r")).hasMessageStartingWith("roomId ");
    assertThatThrownBy(() -> new RoomDemandChanged("acme", "r", Contract.MAX_ROOM_TRANSCODERS + 1, null, null))
        .hasMessage("transcoders must be between 0 and 64 (got 65)");
    assertThatThrownBy(() -> new RoomDemandChanged("acme", "r", -1, null, null)).hasMessageStartingWith("transcoders ");
    assertThatThrownBy(() -> new RoomDemandChanged("acme", "r", 1, "", null)).hasMessage("image must not be empty");
    assertThatThrownBy(() -> new RoomDemandChanged("acme", "R", 1, null, null)).hasMessageStartingWith("roomId ");
    assertThatThrownBy(() -> new TenantSuspended("")).hasMessageStartingWith("tenantId ");
    assertThatThrownBy(() -> new TenantResumed(null)).hasMessageStartingWith("tenantId ");
    assertThatThrownBy(() -> new TranscoderStarted("acme", "tc-1", "r", "h", "c", "n", "net", ""))
        .hasMessage("ipAddress must not be empty");
    assertThatThrownBy(() -> new TranscoderStopped("acme", "tc-1", "h", null, true)).hasMessage("reason is required");
    assertThatThrownBy(() -> new TranscoderRestarted("acme", "tc-1", "h", RestartCause.CRASHED, -1))
        .hasMessage("restartCount must be >= 0 (got -1)");
    assertThatThrownBy(() -> new ContainerCrashed("acme", "tc-1", "H", "c", 1, false, 0, true)).hasMessageStartingWith("hostId ");
    assertThatThrownBy(() -> new ProvisioningFailed("acme", "tc-1", "h", "", "m", true)).hasMessage("code must not be empty");
    assertThatThrownBy(() -> new CommandRejected(null, null, "schema-violation", null)).hasMessage("message is required");
    assertThatThrownBy(() -> new WorkerHeartbeat("h", 1, 0, -1)).hasMessage("free must be >= 0 (got -1)");
    assertThatThrownBy(() -> new RoomDemandStatus("acme", "r", 2, 0, 3, "h", null))
        .hasMessage("pending must be between 0 and 2 (got 3)");
    assertThatThrownBy(() -> new RoomDemandStatus("acme", "r", 65, 0, 0, "h", null)).hasMessageStartingWith("desired ");
    assertThatThrownBy(() -> new RoomDemandStatus("acme", "r", 2, -1, 0, "h", null)).hasMessageStartingWith("running ");
    assertThatThrownBy(() -> new RoomDemandStatus("acme", "r", 2, 0, 0, null, null)).hasMessageStartingWith("hostId ");
    assertThatThrownBy(() -> new RoomDemandStatus("acme", "r", 2, 0, 0, "h", "")).hasMessage("demandId must not be empty");
    assertThatThrownBy(() -> new RoomDemandStatus("acme", "r", 2, 0, 0, "h", "d".repeat(257)))
        .hasMessage("demandId must be at most 256 characters");
  }

  @Test
  void resourcesAreBounded() {
    assertThatCode(() -> new Resources(0.25, 64)).doesNotThrowAnyException();
    assertThatCode(() -> new Resources(64, 262_144)).doesNotThrowAnyException();
    // 1e-9 would become NanoCpus=1, which Docker reads as "no limit": a tiny request must not mean an unlimited one.
    for (double cpus : new double[] {0, -1, 1e-9, 0.0099, 64.01, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> new Resources(cpus, 512)).as("cpus " + cpus).hasMessageStartingWith("cpus must be >= 0.01 and <= 64");
    }
    assertThatThrownBy(() -> new Resources(1, 63)).hasMessage("memoryMb must be between 64 and 262144 (got 63)");
    assertThatThrownBy(() -> new Resources(1, 262_145)).hasMessageStartingWith("memoryMb must be between");
  }

  @Test
  void longDiagnosticsAreClippedNotRefused() {
    String huge = "x".repeat(10_000);

    assertThat(new ProvisioningFailed("acme", "tc-1", "h", "docker-error", huge, true).message())
        .hasSize(ProvisioningFailed.MAX_MESSAGE_LENGTH).endsWith("…");
    assertThat(new CommandRejected(null, null, "malformed-json", huge).message())
        .hasSize(CommandRejected.MAX_MESSAGE_LENGTH);
    assertThat(new CommandRejected(null, null, "malformed-json", "short").message()).isEqualTo("short");
  }

  @Test
  void cloudEventConstructorEnforcesTheEnvelopeRules() {
    TenantSuspended data = new TenantSuspended("acme");
    String type = "TenantSuspended";
    String json = Contract.DATA_CONTENT_TYPE;

    assertThatCode(() -> new CloudEvent<>("1.0", "id", "urn:x", type, NOW, json, null, data)).doesNotThrowAnyException();
    assertThatThrownBy(() -> new CloudEvent<>("0.3", "id", "urn:x", type, NOW, json, null, data)).hasMessageStartingWith("specversion");
    assertThatThrownBy(() -> new CloudEvent<>("1.0", "", "urn:x", type, NOW, json, null, data)).hasMessage("id must not be empty");
    assertThatThrownBy(() -> new CloudEvent<>("1.0", "i".repeat(257), "urn:x", type, NOW, json, null, data))
        .hasMessage("id must be at most 256 characters");
    assertThatThrownBy(() -> new CloudEvent<>("1.0", "id", "not a uri", type, NOW, json, null, data))
        .hasMessage("source must be a URI-reference");
    assertThatThrownBy(() -> new CloudEvent<>("1.0", "id", "urn:caf\u00e9", type, NOW, json, null, data))
        .hasMessage("source must be a URI-reference");
    assertThatThrownBy(() -> new CloudEvent<>("1.0", "id", "urn:x", "RoomClosed", NOW, json, null, data))
        .hasMessage("type must be \"TenantSuspended\" for TenantSuspended data");
    assertThatThrownBy(() -> new CloudEvent<>("1.0", "id", "urn:x", type, null, json, null, data)).hasMessage("time is required");
    assertThatThrownBy(() -> new CloudEvent<>("1.0", "id", "urn:x", type, NOW, "text/plain", null, data))
        .hasMessageStartingWith("datacontenttype");
    assertThatThrownBy(() -> new CloudEvent<>("1.0", "id", "urn:x", type, NOW, json, "", data))
        .hasMessage("causationid must not be empty");
    assertThatThrownBy(() -> new CloudEvent<>("1.0", "id", "urn:x", type, NOW, json, null, null)).hasMessage("data is required");
  }

  @Test
  void factoriesFillTheFixedAttributes() {
    CloudEvent<RoomClosed> command = CloudEvent.command("c-1", "urn:billing", NOW, new RoomClosed("acme", "r1"));
    assertThat(command).isEqualTo(new CloudEvent<>("1.0", "c-1", "urn:billing", "RoomClosed", NOW,
        "application/json", null, new RoomClosed("acme", "r1")));
    assertThat(command.eventType()).isEqualTo(EventType.ROOM_CLOSED);

    TranscoderStopped stopped = new TranscoderStopped("acme", "tc-1", "h", StopReason.ROOM_CLOSED, true);
    CloudEvent<TranscoderStopped> lifecycle = CloudEvent.lifecycle("urn:berth:worker:h", "c-1", NOW, stopped);
    assertThat(lifecycle.causationid()).isEqualTo("c-1");
    assertThat(lifecycle.id()).isEqualTo(LifecycleIds.of("c-1", stopped));
    assertThat(lifecycle.type()).isEqualTo("TranscoderStopped");
  }

  @Test
  void toStringIsShortAndSafe() {
    CloudEvent<CommandRejected> event = new CloudEvent<>("1.0", "id\u001b[2J", "urn:x", "CommandRejected", NOW,
        "application/json", "c-1", new CommandRejected(null, null, "malformed-json", "x".repeat(2000)));

    assertThat(event.toString())
        .isEqualTo("CloudEvent[type=CommandRejected, id=\"id\\u001b[2J\", causationid=\"c-1\", source=\"urn:x\", "
            + "time=2026-11-24T15:41:11.123Z]");
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void eventTypesAreConsistent(EventType type) {
    assertThat(EventType.fromTypeName(type.typeName())).contains(type);
    assertThat(type.dataClass().getSimpleName()).isEqualTo(type.typeName());
    assertThat(type.schemaResource()).isEqualTo("/schemas/" + type.typeName() + ".json");
    Class<?> kindInterface = type.kind() == EventType.Kind.COMMAND ? CommandData.class : LifecycleData.class;
    assertThat(kindInterface).isAssignableFrom(type.dataClass());
  }

  @Test
  void eventTypeLookups() {
    assertThat(EventType.fromTypeName("transcoderrequested")).isEmpty();
    assertThat(EventType.fromTypeName(null)).isEmpty();
    assertThat(EventType.of(new WorkerHeartbeat("h", 1, 0, 1))).isEqualTo(EventType.WORKER_HEARTBEAT);
    assertThat(Arrays.stream(EventType.values()).filter(t -> t.kind() == EventType.Kind.COMMAND)).hasSize(7);
    assertThat(CommandData.class.getPermittedSubclasses().length + LifecycleData.class.getPermittedSubclasses().length)
        .isEqualTo(EventType.values().length);
  }

  @Test
  void rejectionCodesAndEnumsHaveTheirWireNames() {
    assertThat(Arrays.stream(RejectionCode.values()).map(RejectionCode::code)).containsExactly(
        "malformed-json", "invalid-envelope", "unknown-type", "not-a-command", "schema-violation", "invalid-identifier",
        "unsupported-content-type", "wrong-routing-key", "unroutable");
    assertThat(StopReason.fromValue("room-closed")).isEqualTo(StopReason.ROOM_CLOSED);
    assertThat(StopReason.fromValue("scaled-down")).isEqualTo(StopReason.SCALED_DOWN);
    assertThat(RestartCause.fromValue("crashed")).isEqualTo(RestartCause.CRASHED);
    assertThatThrownBy(() -> StopReason.fromValue("ROOM_CLOSED")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void contractNames() {
    assertThat(Contract.hostQueue("host-a")).isEqualTo("berth.host.host-a");
    assertThatThrownBy(() -> Contract.hostQueue("Host A")).hasMessageStartingWith("hostId must be");
    assertThat(new RejectedEventException(RejectionCode.UNKNOWN_TYPE, "type: x", "id", "X"))
        .hasToString("RejectedEventException[unknown-type] type: x")
        .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
  }
}
