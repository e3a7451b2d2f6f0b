package io.berth.events;

/**
 * Names shared by everyone who talks to Berth over RabbitMQ. Publishers, the worker and monitoring
 * tools use these constants so a typo in one place cannot silently split the topology.
 */
public final class Contract {

  /** CloudEvents version of every Berth message. */
  public static final String SPEC_VERSION = "1.0";
  /** AMQP content-type property: CloudEvents structured mode, JSON. */
  public static final String CONTENT_TYPE = "application/cloudevents+json";
  /** The CloudEvents {@code datacontenttype} attribute: {@code data} is always a JSON object. */
  public static final String DATA_CONTENT_TYPE = "application/json";

  /** Durable topic exchange for commands; routing key = event type. */
  public static final String COMMANDS_EXCHANGE = "berth.commands";
  /** Durable topic exchange for lifecycle events; routing key = event type. */
  public static final String LIFECYCLE_EXCHANGE = "berth.lifecycle";
  /** Exchange receiving rejected and poison commands. */
  public static final String DEAD_LETTER_EXCHANGE = "berth.dead-letter";
  /** Quorum queue bound to {@link #DEAD_LETTER_EXCHANGE}. */
  public static final String DEAD_LETTER_QUEUE = "berth.dead-letter";
  /**
   * Alternate exchange of {@link #COMMANDS_EXCHANGE} (fanout): receives every command no queue is bound for, instead
   * of the broker dropping it.
   */
  public static final String UNROUTABLE_EXCHANGE = "berth.unroutable";
  /** Quorum queue bound to {@link #UNROUTABLE_EXCHANGE}; workers dead-letter what lands there with a reason. */
  public static final String UNROUTABLE_QUEUE = "berth.unroutable";
  /** Quorum queue shared by all workers (competing consumers) for {@code TranscoderRequested}. */
  public static final String REQUESTS_QUEUE = "berth.requests";

  /**
   * Header on dead-lettered commands: a {@link RejectionCode#code()}, or the failure code of a command that failed
   * for good.
   */
  public static final String REASON_CODE_HEADER = "x-berth-reason-code";
  /** Header on dead-lettered commands: human-readable reason (already truncated and escaped). */
  public static final String REASON_HEADER = "x-berth-reason";
  /** Header on dead-lettered commands: id of the host that rejected the command. */
  public static final String REJECTED_BY_HEADER = "x-berth-host-id";

  /**
   * Largest accepted message body. Events are a few hundred bytes; the limit bounds the work a
   * hostile or broken publisher can cause before anything is parsed.
   */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /**
   * Most transcoders one {@code RoomDemandChanged} may ask for. A room is one conference: far fewer are ever needed, and
   * the bound keeps a typo (4000 for 40) from claiming a fleet's every slot. It also keeps every demand-managed
   * transcoder id within the identifier limit ({@link DemandIds}).
   */
  public static final int MAX_ROOM_TRANSCODERS = 64;

  /** {@code x-delivery-limit} of the worker queues: a command redelivered more often is dead-lettered. */
  public static final int DELIVERY_LIMIT = 5;

  private Contract() {
  }

  /** Per-worker quorum queue that receives every command addressed to existing transcoders. */
  public static String hostQueue(String hostId) {
    return "berth.host." + Identifiers.require("hostId", hostId);
  }
}
