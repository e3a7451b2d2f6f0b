package io.berth.events;

/**
 * Why a message was refused. Checked in this order; the first failing step decides the code.
 * Within the data step, {@link #INVALID_IDENTIFIER} is used only when every problem found is an
 * identifier problem; any other problem makes it {@link #SCHEMA_VIOLATION}.
 */
public enum RejectionCode {
  /** Not strict UTF-8, empty, not JSON, not a JSON object, nested too deeply, duplicate keys. */
  MALFORMED_JSON("malformed-json"),
  /** CloudEvents attributes missing or wrong, or the body is larger than {@link Contract#MAX_BODY_BYTES}. */
  INVALID_ENVELOPE("invalid-envelope"),
  /** {@code type} is not a Berth event type. */
  UNKNOWN_TYPE("unknown-type"),
  /** A lifecycle event was sent where a command was expected. */
  NOT_A_COMMAND("not-a-command"),
  /** {@code data} does not match the schema of its type. */
  SCHEMA_VIOLATION("schema-violation"),
  /** {@code data} is valid except for identifier fields that break {@link Identifiers#RULE}. */
  INVALID_IDENTIFIER("invalid-identifier");

  private final String code;

  RejectionCode(String code) {
    this.code = code;
  }

  /** Wire form: used in {@code CommandRejected.code} and the {@code x-berth-reason-code} header. */
  public String code() {
    return code;
  }
}
