package io.berth.loadtests.chaos;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.berth.events.CloudEvent;
import io.berth.events.CommandData;
import io.berth.events.CommandRejected;
import io.berth.events.Contract;
import io.berth.events.EventCodec;
import io.berth.events.EventData;
import io.berth.events.ProvisioningFailed;
import io.berth.events.TranscoderStarted;
import io.berth.events.TranscoderStopped;
import io.berth.worker.messaging.Topology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What a chaos run sent and what came back, kept through broker restarts: commands go out with publisher confirms and
 * are sent again (same id) until confirmed; lifecycle events and dead letters are read from durable queues of the
 * ledger's own, so nothing published while the ledger's connection was down is missed. Counts are taken after
 * de-duplicating events by id, as the contract tells consumers to.
 */
public final class Ledger implements AutoCloseable {
  private static final String EVENTS_QUEUE = "berth.chaos.events";
  private static final String DEAD_QUEUE = "berth.chaos.dead-letters";

  private final Connection connection;
  private final Channel consumer;
  private final Channel publisher;
  private final EventCodec codec = new EventCodec();
  private final Map<String, CloudEvent<EventData>> eventsById = new ConcurrentHashMap<>();
  private final List<String> eventIdsInOrder = new CopyOnWriteArrayList<>();
  private final List<GetResponse> deadLetters = new CopyOnWriteArrayList<>();
  private final Map<String, CloudEvent<? extends CommandData>> sent = new LinkedHashMap<>();
  private final List<String> rawSent = new CopyOnWriteArrayList<>();
  private volatile long duplicatesDelivered;

  public Ledger(String amqpUri) throws Exception {
    this(amqpUri, List.of());
  }

  /** @param nodes a cluster's nodes: the ledger follows the cluster when its node dies (empty: the URI's host) */
  public Ledger(String amqpUri, List<com.rabbitmq.client.Address> nodes) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(amqpUri);
    factory.setAutomaticRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(1000);
    connection = nodes.isEmpty() ? factory.newConnection("berth-chaos-ledger")
        : factory.newConnection(nodes, "berth-chaos-ledger");
    Topology.declareCommandsExchange(connection);
    consumer = connection.createChannel();
    consumer.exchangeDeclare(Contract.LIFECYCLE_EXCHANGE, "topic", true);
    Map<String, Object> quorum = Map.of("x-queue-type", "quorum");
    consumer.queueDeclare(EVENTS_QUEUE, true, false, false, quorum);
    consumer.queuePurge(EVENTS_QUEUE);
    consumer.queueBind(EVENTS_QUEUE, Contract.LIFECYCLE_EXCHANGE, "#");
    consumer.exchangeDeclare(Contract.DEAD_LETTER_EXCHANGE, "fanout", true);
    consumer.queueDeclare(DEAD_QUEUE, true, false, false, quorum);
    consumer.queuePurge(DEAD_QUEUE);
    consumer.queueBind(DEAD_QUEUE, Contract.DEAD_LETTER_EXCHANGE, "");
    consumer.basicQos(500);
    consumer.basicConsume(EVENTS_QUEUE, false, (tag, delivery) -> {
      CloudEvent<EventData> event;
      try {
        event = codec.decode(delivery.getBody());
      } catch (io.berth.events.RejectedEventException e) {
        throw new IllegalStateException("a worker published an invalid event: " + e.getMessage(), e);
      }
      if (eventsById.putIfAbsent(event.id(), event) == null) {
        eventIdsInOrder.add(event.id());
      } else {
        duplicatesDelivered++;
      }
      consumer.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
    }, tag -> { });
    consumer.basicConsume(DEAD_QUEUE, false, (tag, delivery) -> {
      deadLetters.add(new GetResponse(delivery.getEnvelope(), delivery.getProperties(), delivery.getBody(), 0));
      consumer.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
    }, tag -> { });
    publisher = connection.createChannel();
    publisher.confirmSelect();
  }

  /** Publishes and waits for the broker's confirm, sending again (same id) through broker trouble. */
  public void publish(CloudEvent<? extends CommandData> command) {
    synchronized (sent) {
      sent.put(command.id(), command);
    }
    sendConfirmed(command.type(), Contract.CONTENT_TYPE, codec.encode(command));
  }

  /** Raw bytes under any routing key and content type (fuzzing); counted as one message that must be dead-lettered. */
  public void publishRaw(String routingKey, String contentType, byte[] body) {
    rawSent.add(routingKey);
    sendConfirmed(routingKey, contentType, body);
  }

  private void sendConfirmed(String routingKey, String contentType, byte[] body) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (true) {
      try {
        synchronized (publisher) {
          publisher.basicPublish(Contract.COMMANDS_EXCHANGE, routingKey, false,
              new AMQP.BasicProperties.Builder().contentType(contentType).deliveryMode(2).build(), body);
          if (publisher.waitForConfirms(10_000)) {
            return;
          }
        }
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not publish for 5 minutes: " + e, e);
        }
      }
      sleepQuietly(Duration.ofMillis(500));
    }
  }

  /** Distinct events (by id), in arrival order. */
  public List<CloudEvent<EventData>> events() {
    return eventIdsInOrder.stream().map(eventsById::get).toList();
  }

  public List<CloudEvent<EventData>> causedBy(String commandId) {
    return events().stream().filter(e -> commandId.equals(e.causationid())).toList();
  }

  public <T extends EventData> List<T> events(Class<T> type, Predicate<T> filter) {
    return events().stream().map(CloudEvent::data).filter(type::isInstance).map(type::cast).filter(filter).toList();
  }

  public List<GetResponse> deadLetters() {
    return List.copyOf(deadLetters);
  }

  public int rawSent() {
    return rawSent.size();
  }

  /** Events the broker delivered again with an id already seen: harmless for consumers that de-duplicate. */
  public long duplicatesDelivered() {
    return duplicatesDelivered;
  }

  public Collection<CloudEvent<? extends CommandData>> sent() {
    synchronized (sent) {
      return List.copyOf(sent.values());
    }
  }

  /** The terminal outcome of a command: what the contract promises exactly one of per command. */
  public static boolean isTerminal(EventData data) {
    return data instanceof TranscoderStarted || data instanceof ProvisioningFailed || data instanceof TranscoderStopped
        || data instanceof CommandRejected;
  }

  /**
   * Per command: how many distinct terminal events it caused. A command dead-lettered by the worker with a reason
   * and no event of its own (none exist for that) would count 0: every command kind here has one.
   */
  public Map<String, Integer> terminalCounts(Collection<String> commandIds) {
    Map<String, Integer> counts = new HashMap<>();
    commandIds.forEach(id -> counts.put(id, 0));
    for (CloudEvent<EventData> e : events()) {
      if (e.causationid() != null && counts.containsKey(e.causationid()) && isTerminal(e.data())) {
        counts.merge(e.causationid(), 1, Integer::sum);
      }
    }
    return counts;
  }

  /** Dead letters whose body mentions the text (e.g. a command id), decoded leniently. */
  public List<GetResponse> deadLettersMentioning(String text) {
    List<GetResponse> found = new ArrayList<>();
    for (GetResponse d : deadLetters) {
      if (new String(d.getBody(), StandardCharsets.UTF_8).contains(text)) {
        found.add(d);
      }
    }
    return found;
  }

  public Set<String> deadLetterReasonCodes() {
    Set<String> codes = new HashSet<>();
    for (GetResponse d : deadLetters) {
      Object code = d.getProps().getHeaders() == null ? null : d.getProps().getHeaders().get(Contract.REASON_CODE_HEADER);
      codes.add(code == null ? "(none)" : code.toString());
    }
    return codes;
  }

  static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Deletes the ledger's queues and closes. A fault may have ended moments ago: the connection may still be
   * recovering, so wait for it a little; queues left behind are purged by the next ledger anyway.
   */
  @Override
  public void close() throws Exception {
    close(List.of());
  }

  /**
   * Also deletes these queues (the workers' host queues): a host queue left behind takes a copy of every broadcast
   * command published afterwards, run after run, and slowed the benchmark's broker to a third.
   */
  public void close(Collection<String> alsoDelete) throws Exception {
    ChaosLab.waitFor(Duration.ofSeconds(30), connection::isOpen);
    try (Channel c = connection.createChannel()) {
      c.queueDelete(EVENTS_QUEUE);
      c.queueDelete(DEAD_QUEUE);
      for (String queue : alsoDelete) {
        c.queueDelete(queue);
      }
    } catch (Exception e) {
      System.out.println("[chaos] ledger queues not deleted (the next ledger purges them): " + e.getMessage());
    } finally {
      try {
        connection.close();
      } catch (com.rabbitmq.client.AlreadyClosedException alreadyClosed) {
        // closed by the broker in the meantime: nothing left to close
      }
    }
  }
}
