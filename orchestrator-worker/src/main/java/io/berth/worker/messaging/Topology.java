package io.berth.worker.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.berth.events.Contract;
import io.berth.events.EventType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Declares exchanges, queues and bindings; idempotent, so every worker does it at start. A work queue that already
 * exists with other arguments makes the broker refuse the declaration, and the worker stops with that message.
 *
 * <p>Exchange arguments cannot be changed by redeclaring (RabbitMQ answers 406 PRECONDITION_FAILED), so an existing
 * {@code berth.commands} declared without the alternate exchange is left as it is: the worker says at ERROR what an
 * operator must do (a policy) and carries on.
 */
public final class Topology {
  private static final Logger log = LoggerFactory.getLogger(Topology.class);

  /** Commands about transcoders a host may already hold: every host sees them and acts on what it holds. */
  public static final List<EventType> BROADCAST_COMMANDS = List.of(
      EventType.TRANSCODER_RELEASED, EventType.TRANSCODER_RESTART_REQUESTED, EventType.ROOM_CLOSED,
      EventType.TENANT_SUSPENDED, EventType.TENANT_RESUMED);

  /** What an operator runs to give an existing {@code berth.commands} its alternate exchange. */
  public static final String ALTERNATE_EXCHANGE_POLICY = "rabbitmqctl set_policy berth-commands "
      + "'^berth\\.commands$' '{\"alternate-exchange\":\"" + Contract.UNROUTABLE_EXCHANGE + "\"}' --apply-to exchanges";

  private Topology() {}

  /** @return problems the worker carries on with (each already logged at ERROR); empty when all is as declared */
  public static List<String> declare(Connection connection, String hostId, int deliveryLimit) throws IOException {
    List<String> problems = new ArrayList<>();
    declareCommandsExchange(connection).ifPresent(problems::add);
    Map<String, Object> workQueue = workQueueArguments(deliveryLimit);
    try (Channel channel = connection.createChannel()) {
      channel.exchangeDeclare(Contract.LIFECYCLE_EXCHANGE, BuiltinExchangeType.TOPIC, true);
      channel.exchangeDeclare(Contract.DEAD_LETTER_EXCHANGE, BuiltinExchangeType.FANOUT, true);
      channel.queueDeclare(Contract.DEAD_LETTER_QUEUE, true, false, false, Map.of("x-queue-type", "quorum"));
      channel.queueBind(Contract.DEAD_LETTER_QUEUE, Contract.DEAD_LETTER_EXCHANGE, "");
      channel.exchangeDeclare(Contract.UNROUTABLE_EXCHANGE, BuiltinExchangeType.FANOUT, true);
      channel.queueDeclare(Contract.UNROUTABLE_QUEUE, true, false, false, workQueue);
      channel.queueBind(Contract.UNROUTABLE_QUEUE, Contract.UNROUTABLE_EXCHANGE, "");

      channel.queueDeclare(Contract.REQUESTS_QUEUE, true, false, false, workQueue);
      channel.queueBind(Contract.REQUESTS_QUEUE, Contract.COMMANDS_EXCHANGE, EventType.TRANSCODER_REQUESTED.typeName());

      String hostQueue = Contract.hostQueue(hostId);
      channel.queueDeclare(hostQueue, true, false, false, workQueue);
      for (EventType type : BROADCAST_COMMANDS) {
        channel.queueBind(hostQueue, Contract.COMMANDS_EXCHANGE, type.typeName());
      }
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("closing the topology channel timed out", e);
    }
    return problems;
  }

  /**
   * Declares {@code berth.commands} with its alternate exchange, so a command no queue is bound for is caught instead
   * of dropped. On a broker where it already exists without one, says what to do and leaves it be.
   */
  public static java.util.Optional<String> declareCommandsExchange(Connection connection) throws IOException {
    Channel channel = connection.createChannel();
    try {
      channel.exchangeDeclare(Contract.COMMANDS_EXCHANGE, BuiltinExchangeType.TOPIC, true, false,
          Map.of("alternate-exchange", Contract.UNROUTABLE_EXCHANGE));
      return java.util.Optional.empty();
    } catch (IOException e) {
      if (!isPreconditionFailed(e)) {
        throw e;
      }
      String problem = "exchange " + Contract.COMMANDS_EXCHANGE + " exists with other arguments (declared before it"
          + " had an alternate exchange); exchange arguments cannot be changed by redeclaring, so commands no queue is"
          + " bound for are dropped silently unless a policy sets it. Operator: " + ALTERNATE_EXCHANGE_POLICY
          + " (merge into any policy already matching the exchange). Carrying on.";
      log.error("topology: {}", problem);
      return java.util.Optional.of(problem);
    } finally {
      if (channel.isOpen()) {
        try {
          channel.close();
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException ignored) {
          // closing anyway
        }
      }
    }
  }

  /** 406 PRECONDITION_FAILED: the entity exists with other arguments (the broker closed the channel). */
  static boolean isPreconditionFailed(IOException e) {
    return e.getCause() instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Channel.Close close
        && close.getReplyCode() == AMQP.PRECONDITION_FAILED;
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
