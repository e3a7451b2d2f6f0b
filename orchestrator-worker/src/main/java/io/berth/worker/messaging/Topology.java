package io.berth.worker.messaging;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import io.berth.events.Contract;
import io.berth.events.EventType;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Declares exchanges, queues and bindings; idempotent, so every worker does it at start. A queue that already exists
 * with other arguments makes the broker refuse the declaration, and the worker stops with that message.
 */
public final class Topology {
  /** Commands about transcoders a host may already hold: every host sees them and acts on what it holds. */
  public static final List<EventType> BROADCAST_COMMANDS = List.of(
      EventType.TRANSCODER_RELEASED, EventType.TRANSCODER_RESTART_REQUESTED, EventType.ROOM_CLOSED,
      EventType.TENANT_SUSPENDED, EventType.TENANT_RESUMED);

  private Topology() {}

  public static void declare(Channel channel, String hostId, int deliveryLimit) throws IOException {
    channel.exchangeDeclare(Contract.COMMANDS_EXCHANGE, BuiltinExchangeType.TOPIC, true);
    channel.exchangeDeclare(Contract.LIFECYCLE_EXCHANGE, BuiltinExchangeType.TOPIC, true);
    channel.exchangeDeclare(Contract.DEAD_LETTER_EXCHANGE, BuiltinExchangeType.FANOUT, true);
    channel.queueDeclare(Contract.DEAD_LETTER_QUEUE, true, false, false, Map.of("x-queue-type", "quorum"));
    channel.queueBind(Contract.DEAD_LETTER_QUEUE, Contract.DEAD_LETTER_EXCHANGE, "");

    Map<String, Object> workQueue = workQueueArguments(deliveryLimit);
    channel.queueDeclare(Contract.REQUESTS_QUEUE, true, false, false, workQueue);
    channel.queueBind(Contract.REQUESTS_QUEUE, Contract.COMMANDS_EXCHANGE, EventType.TRANSCODER_REQUESTED.typeName());

    String hostQueue = Contract.hostQueue(hostId);
    channel.queueDeclare(hostQueue, true, false, false, workQueue);
    for (EventType type : BROADCAST_COMMANDS) {
      channel.queueBind(hostQueue, Contract.COMMANDS_EXCHANGE, type.typeName());
    }
  }

  /**
   * Quorum queues that dead-letter at least once (which needs reject-publish overflow) and give up on a message after
   * {@code deliveryLimit} deliveries, so nothing loops forever.
   */
  static Map<String, Object> workQueueArguments(int deliveryLimit) {
    return Map.of(
        "x-queue-type", "quorum",
        "x-dead-letter-exchange", Contract.DEAD_LETTER_EXCHANGE,
        "x-dead-letter-strategy", "at-least-once",
        "x-overflow", "reject-publish",
        "x-delivery-limit", deliveryLimit);
  }
}
