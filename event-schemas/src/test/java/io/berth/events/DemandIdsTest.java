package io.berth.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DemandIdsTest {

  @Test
  void aShortRoomsTranscodersAreTheRoomIdAndK() {
    assertThat(DemandIds.transcoderId("room-42", 0)).isEqualTo("room-42-d0");
    assertThat(DemandIds.transcoderId("room-42", 63)).isEqualTo("room-42-d63");
    assertThat(DemandIds.MAX_PLAIN_ROOM_LENGTH).isEqualTo(59);
    String longestPlain = "r".repeat(59);
    assertThat(DemandIds.transcoderId(longestPlain, 63)).isEqualTo(longestPlain + "-d63").hasSize(63);
  }

  /** Pins the documented hashed form so other languages can reproduce it. */
  @Test
  void aLongRoomsTranscodersAreItsPrefixAndHashAndK() throws Exception {
    String room = "conference-" + "a".repeat(49); // 60 characters: one too many for the plain form
    String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(room.getBytes(StandardCharsets.UTF_8))).substring(0, 8);

    assertThat(DemandIds.transcoderId(room, 0)).isEqualTo(room.substring(0, 50) + "-" + hash + "-d0");
    assertThat(DemandIds.transcoderId(room, 7)).as("one form per room, whatever k").endsWith("-" + hash + "-d7");
    assertThat(DemandIds.transcoderId("r".repeat(63), 63)).hasSize(63);
  }

  @Test
  void everyIdIsAValidIdentifierAndDistinctAcrossRoomsAndK() {
    // rooms of every length, including long ones that share their first 50 characters and ones with '-' at the cut
    Set<String> rooms = new HashSet<>();
    for (int length = 1; length <= Identifiers.MAX_LENGTH; length++) {
      rooms.add("r".repeat(length));
      rooms.add("x".repeat(Math.max(0, length - 1)) + "y");
    }
    rooms.add("a".repeat(49) + "-" + "b".repeat(13));
    rooms.add("a".repeat(49) + "-" + "c".repeat(13));
    Set<String> ids = new HashSet<>();
    for (String room : rooms) {
      for (int k = 0; k < Contract.MAX_ROOM_TRANSCODERS; k++) {
        String id = DemandIds.transcoderId(room, k);
        assertThat(Identifiers.isValid(id)).as(id).isTrue();
        assertThat(ids.add(id)).as("unique: " + id).isTrue();
        assertThat(DemandIds.index(room, id)).as("inverse of " + id).isEqualTo(OptionalInt.of(k));
      }
    }
  }

  @Test
  void indexTellsDemandTranscodersFromOthers() {
    assertThat(DemandIds.index("room-42", "room-42-d5")).hasValue(5);
    assertThat(DemandIds.index("room-42", "tc-0001")).as("explicit").isEmpty();
    assertThat(DemandIds.index("room-4", "room-42-d5")).as("another room's").isEmpty();
    assertThat(DemandIds.index("room-42", "room-42-d64")).as("beyond the maximum").isEmpty();
    assertThat(DemandIds.index("room-42", "room-42-d05")).as("not canonical").isEmpty();
    assertThat(DemandIds.index("room-42", "room-42-d")).isEmpty();
    assertThat(DemandIds.index("room-42", "room-42-d1x")).isEmpty();
    assertThat(DemandIds.index("room-42", null)).isEmpty();
    assertThat(IntStream.range(0, 3).mapToObj(k -> DemandIds.transcoderId("r", k))).containsExactly("r-d0", "r-d1", "r-d2");
  }

  @Test
  void outOfRangeKOrABadRoomIsRefused() {
    assertThatThrownBy(() -> DemandIds.transcoderId("room", 64)).hasMessage("k must be between 0 and 63 (got 64)");
    assertThatThrownBy(() -> DemandIds.transcoderId("room", -1)).hasMessageStartingWith("k must be");
    assertThatThrownBy(() -> DemandIds.transcoderId("Room", 0)).hasMessageStartingWith("roomId must be");
  }
}
