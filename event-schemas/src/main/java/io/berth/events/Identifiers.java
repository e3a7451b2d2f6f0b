package io.berth.events;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one rule for tenant, transcoder, room and host ids. They end up in container names, Docker
 * labels, queue names and log lines, so they are restricted to a DNS-label-like alphabet.
 */
public final class Identifiers {

  /** Human-readable form of the rule, used in every error message about an identifier. */
  public static final String RULE =
      "must be 1 to 63 characters of [a-z0-9-], not starting or ending with '-'";

  /** Same text as the {@code pattern} of every identifier property in the JSON Schemas. */
  public static final Pattern PATTERN = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");

  public static final int MAX_LENGTH = 63;

  /** Names of the event data fields that hold identifiers (wherever they appear). */
  public static final Set<String> FIELDS = Set.of("tenantId", "transcoderId", "roomId", "hostId", "fromHostId",
      "toHostId");

  private Identifiers() {
  }

  public static boolean isValid(String value) {
    // matches() anchors at both ends of the input, so a trailing newline is rejected too
    return value != null && value.length() <= MAX_LENGTH && PATTERN.matcher(value).matches();
  }

  /** Returns {@code value} if it is a valid identifier, else throws naming {@code field}. */
  public static String require(String field, String value) {
    if (!isValid(value)) {
      throw new IllegalArgumentException(field + " " + RULE);
    }
    return value;
  }
}
