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

  /**
   * Commands about transcoders a host may already hold, and room demands: every host sees them, records the intent and
   * acts on what it holds. Bound on every start, so a broker declared by an older worker gets a new type's binding from
   * the first upgraded worker (adding a binding is harmless; until then the type goes to {@code berth.unroutable}).
   */
  public static final List<EventType> BROADCAST_COMMANDS = List.of(
      EventType.TRANSCODER_RELEASED, EventType.TRANSCODER_RESTART_REQUESTED, EventType.ROOM_CLOSED,
      EventType.TENANT_SUSPENDED, EventType.TENANT_RESUMED, EventType.ROOM_DEMAND_CHANGED);

  /** What an operator runs to give an existing {@code berth.commands} its alternate exchange. */
  public static final String ALTERNATE_EXCHANGE_POLICY = "rabbitmqctl set_policy berth-commands "
      + "'^berth\\.commands$' '{\"alternate-exchange\":\"" + Contract.UNROUTABLE_EXCHANGE + "\"}' --apply-to exchanges";

  /**
   * A host queue nobody has consumed or declared for this long is deleted by the broker: its host is gone (a
   * running worker consumes it; a restarting one redeclares it). Long enough for a weekend's maintenance.
   */
  public static final java.time.Duration HOST_QUEUE_EXPIRES = java.time.Duration.ofDays(3);
  /**
   * Most commands a host or unroutable queue holds (about 50 MB at typical sizes). Overflow stays
   * {@code reject-publish}: a full queue makes the broker nack the publish, which the publisher sees, instead of
   * dropping (drop-head) an older release a live but paused host still has to carry out; it is also what quorum
   * queues need for at-least-once dead-lettering.
   */
  public static final int MAX_QUEUE_LENGTH = 100_000;

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
      channel.queueDeclare(Contract.REQUESTS_QUEUE, true, false, false, workQueue);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("closing the topology channel timed out", e);
    }
    declareBounded(connection, Contract.UNROUTABLE_QUEUE, boundedQueueArguments(deliveryLimit), "max-length")
        .ifPresent(problems::add);
    String hostQueue = Contract.hostQueue(hostId);
    declareBounded(connection, hostQueue, hostQueueArguments(deliveryLimit), "expires+max-length")
        .ifPresent(problems::add);
    try (Channel channel = connection.createChannel()) {
      channel.queueBind(Contract.UNROUTABLE_QUEUE, Contract.UNROUTABLE_EXCHANGE, "");
      channel.queueBind(Contract.REQUESTS_QUEUE, Contract.COMMANDS_EXCHANGE, EventType.TRANSCODER_REQUESTED.typeName());
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

  /**
   * Declares a queue with its bounds; one declared before the bounds existed (406, arguments differ) is kept as it
   * is, and the operator is told the policy that bounds it. It cannot be redeclared with other arguments, and
   * deleting it would lose the commands it holds.
   */
  private static java.util.Optional<String> declareBounded(Connection connection, String queue,
      Map<String, Object> arguments, String what) throws IOException {
    Channel channel = connection.createChannel();
    try {
      channel.queueDeclare(queue, true, false, false, arguments);
      return java.util.Optional.empty();
    } catch (IOException e) {
      if (!isPreconditionFailed(e)) {
        throw e;
      }
      String problem = "queue " + queue + " exists with other arguments (declared before Berth bounded it), so it has"
          + " no " + what + " and may grow without limit; kept as it is. Operator: "
          + boundsPolicy(queue.startsWith("berth.host.") ? "'^berth\\.host\\.'" : "'^berth\\.unroutable$'",
              queue.startsWith("berth.host.")) + ", or delete the queue while its worker is stopped (it loses what"
          + " the queue holds) and start the worker. Carrying on.";
      log.error("topology: {}", problem);
      channel = connection.createChannel();
      channel.queueDeclarePassive(queue); // it is there: consuming it works as before
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

  /** The policy giving queues matching {@code pattern} the bounds this worker would have declared. */
  static String boundsPolicy(String pattern, boolean expires) {
    return "rabbitmqctl set_policy berth-" + (expires ? "host-queues " : "unroutable ") + pattern + " '{"
        + (expires ? "\"expires\":" + HOST_QUEUE_EXPIRES.toMillis() + "," : "") + "\"max-length\":" + MAX_QUEUE_LENGTH
        + ",\"overflow\":\"reject-publish\"}' --apply-to queues";
  }

  /** 406 PRECONDITION_FAILED: the entity exists with other arguments (the broker closed the channel). */
  static boolean isPreconditionFailed(IOException e) {
    return e.getCause() instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Channel.Close close
        && close.getReplyCode() == AMQP.PRECONDITION_FAILED;
  }

  /** Work queues holding broadcast or unroutable commands: bounded, so a forgotten one cannot grow without limit. */
  static Map<String, Object> boundedQueueArguments(int deliveryLimit) {
    Map<String, Object> bounded = new java.util.HashMap<>(workQueueArguments(deliveryLimit));
    bounded.put("x-max-length", MAX_QUEUE_LENGTH);
    return Map.copyOf(bounded);
  }

  /** A host's own queue: bounded, and deleted by the broker when its host has been gone for long. */
  static Map<String, Object> hostQueueArguments(int deliveryLimit) {
    Map<String, Object> host = new java.util.HashMap<>(boundedQueueArguments(deliveryLimit));
    host.put("x-expires", HOST_QUEUE_EXPIRES.toMillis());
    return Map.copyOf(host);
  }

  /** An exchange or queue a worker declares, as it declares it. */
  public record Entity(Kind kind, String name, String exchangeType, Map<String, Object> arguments,
      java.util.Optional<String> policy) {
    public enum Kind { EXCHANGE, QUEUE }

    public Entity {
      arguments = Map.copyOf(arguments);
    }

    /**
     * Whether a worker carries on when the broker holds it with other arguments (it logs an ERROR naming
     * {@link #policy()}, the fix); otherwise the worker cannot start, or cannot use it.
     */
    public boolean tolerated() {
      return policy.isPresent();
    }
  }

  /**
   * Every exchange and queue a worker with this host id and delivery limit declares, with the arguments it declares
   * them with: what {@code berth preflight} compares with the broker. The same argument maps as {@link #declare}.
   */
  public static List<Entity> entities(String hostId, int deliveryLimit) {
    java.util.Optional<String> none = java.util.Optional.empty();
    return List.of(
        new Entity(Entity.Kind.EXCHANGE, Contract.COMMANDS_EXCHANGE, "topic",
            Map.of("alternate-exchange", Contract.UNROUTABLE_EXCHANGE),
            java.util.Optional.of(ALTERNATE_EXCHANGE_POLICY)),
        new Entity(Entity.Kind.EXCHANGE, Contract.LIFECYCLE_EXCHANGE, "topic", Map.of(), none),
        new Entity(Entity.Kind.EXCHANGE, Contract.DEAD_LETTER_EXCHANGE, "fanout", Map.of(), none),
        new Entity(Entity.Kind.QUEUE, Contract.DEAD_LETTER_QUEUE, null, Map.of("x-queue-type", "quorum"), none),
        new Entity(Entity.Kind.EXCHANGE, Contract.UNROUTABLE_EXCHANGE, "fanout", Map.of(), none),
        new Entity(Entity.Kind.QUEUE, Contract.REQUESTS_QUEUE, null, workQueueArguments(deliveryLimit), none),
        new Entity(Entity.Kind.QUEUE, Contract.UNROUTABLE_QUEUE, null, boundedQueueArguments(deliveryLimit),
            java.util.Optional.of(boundsPolicy("'^berth\\.unroutable$'", false))),
        new Entity(Entity.Kind.QUEUE, Contract.hostQueue(hostId), null, hostQueueArguments(deliveryLimit),
            java.util.Optional.of(boundsPolicy("'^berth\\.host\\.'", true))),
        // declared by FleetPulse, the hosts' second path beside etcd
        new Entity(Entity.Kind.EXCHANGE, FleetPulse.EXCHANGE, "fanout", Map.of(), none));
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
