package io.berth.events;

/**
 * Why a message was refused. The codec checks the first six in this order; the first failing step decides the code.
 * The last three are about how the message travelled and are checked by the worker around decoding.
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
  INVALID_IDENTIFIER("invalid-identifier"),
  /**
   * Transport, checked by the worker before decoding: the AMQP {@code content_type} is neither
   * {@link Contract#CONTENT_TYPE} nor {@link Contract#DATA_CONTENT_TYPE} (absent counts as wrong).
   */
  UNSUPPORTED_CONTENT_TYPE("unsupported-content-type"),
  /**
   * Transport, checked by the worker after decoding: the routing key is not the command's {@code type}, or the
   * command arrived on a queue that does not take its type.
   */
  WRONG_ROUTING_KEY("wrong-routing-key"),
  /** Transport: no queue of {@link Contract#COMMANDS_EXCHANGE} is bound for the routing key it was published with. */
  UNROUTABLE("unroutable");

  private final String code;

  RejectionCode(String code) {
    this.code = code;
  }

  /** Wire form: used in {@code CommandRejected.code} and the {@code x-berth-reason-code} header. */
  public String code() {
    return code;
  }
}
