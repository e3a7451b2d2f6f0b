package io.berth.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.OptionalInt;

/**
 * The ids of a room's demand-managed transcoders ({@link RoomDemandChanged}): derived from the room alone, so every
 * host names the room's k-th transcoder the same without asking anyone, a redelivered or repeated demand finds the
 * transcoders it made, and "remove the newest first" is "remove the highest k first".
 *
 * <p>The rule, for k = 0 .. {@link Contract#MAX_ROOM_TRANSCODERS} − 1:
 * <ul>
 *   <li>a room id of at most {@value #MAX_PLAIN_ROOM_LENGTH} characters: {@code <roomId>-d<k>} ({@code room-42-d0});
 *   <li>a longer one: its first {@value #HASHED_PREFIX_LENGTH} characters, {@code -},
 *       the first 8 hex digits of SHA-256 over the room id's UTF-8 bytes, {@code -d<k>}.
 * </ul>
 * The choice is made per room, not per k, so a room's ids all have one form. Both forms fit the 63-character
 * identifier limit for every k; the hash keeps long room ids that share their first 50 characters apart.
 */
public final class DemandIds {

  /** Longest room id named plainly: {@code -d63} still fits in {@link Identifiers#MAX_LENGTH}. */
  public static final int MAX_PLAIN_ROOM_LENGTH =
      Identifiers.MAX_LENGTH - ("-d" + (Contract.MAX_ROOM_TRANSCODERS - 1)).length();
  /** Characters of a long room id kept in front of its hash. */
  public static final int HASHED_PREFIX_LENGTH = MAX_PLAIN_ROOM_LENGTH - 1 - 8;

  private DemandIds() {
  }

  /** The id of the room's k-th demand-managed transcoder (k counts from 0). */
  public static String transcoderId(String roomId, int k) {
    Identifiers.require("roomId", roomId);
    Checks.between("k", k, 0, Contract.MAX_ROOM_TRANSCODERS - 1);
    return stem(roomId) + k;
  }

  /**
   * Which k the transcoder id is among the room's demand-managed ones; empty when it is not one of them (an explicit
   * transcoder, or another room's).
   */
  public static OptionalInt index(String roomId, String transcoderId) {
    String stem = stem(Identifiers.require("roomId", roomId));
    if (transcoderId == null || !transcoderId.startsWith(stem)) {
      return OptionalInt.empty();
    }
    String digits = transcoderId.substring(stem.length());
    // canonical decimal only: "d07" is not the 7th
    if (digits.isEmpty() || digits.length() > 2 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
        || (digits.length() > 1 && digits.charAt(0) == '0')) {
      return OptionalInt.empty();
    }
    int k = Integer.parseInt(digits);
    return k < Contract.MAX_ROOM_TRANSCODERS ? OptionalInt.of(k) : OptionalInt.empty();
  }

  /** Everything of the id but k. */
  private static String stem(String roomId) {
    if (roomId.length() <= MAX_PLAIN_ROOM_LENGTH) {
      return roomId + "-d";
    }
    // a prefix ending in '-' gives "--", which identifiers allow: no trimming, one rule less to reproduce
    return roomId.substring(0, HASHED_PREFIX_LENGTH) + "-" + sha256Hex(roomId).substring(0, 8) + "-d";
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e); // required by the Java SE spec
    }
  }
}
