package io.berth.worker.it;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.berth.events.CloudEvent;
import io.berth.events.CommandData;
import io.berth.events.Contract;
import io.berth.events.EventCodec;
import io.berth.events.EventData;
import io.berth.events.RejectedEventException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The test's hands on the broker: publishes commands as upstream systems would, records every lifecycle event, and
 * reads the dead-letter queue.
 */
public final class BrokerTap implements AutoCloseable {
  private final Connection connection;
  private final Channel channel;
  private final EventCodec codec = new EventCodec();
  private final List<CloudEvent<EventData>> events = new CopyOnWriteArrayList<>();

  public BrokerTap() throws Exception {
    this(TestBroker.amqpUri());
  }

  /** A tap on another broker or vhost (a fleet test's own). */
  public BrokerTap(String amqpUri) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(amqpUri);
    connection = factory.newConnection("berth-test-tap");
    // Declared as the workers declare it: a different declaration would fail with 406 on whichever came second.
    io.berth.worker.messaging.Topology.declareCommandsExchange(connection);
    channel = connection.createChannel();
    channel.exchangeDeclare(Contract.LIFECYCLE_EXCHANGE, "topic", true);
    String queue = channel.queueDeclare("", false, true, true, null).getQueue();
    channel.queueBind(queue, Contract.LIFECYCLE_EXCHANGE, "#");
    channel.basicConsume(queue, true, (tag, delivery) -> {
      try {
        events.add(codec.decode(delivery.getBody()));
      } catch (RejectedEventException e) {
        throw new IllegalStateException("worker published an invalid event: " + e.getMessage(), e);
      }
    }, tag -> { });
  }

  /** Empties the shared queues so one test's leftovers never reach the next test's worker. */
  public void purgeSharedQueues() throws IOException {
    for (String queue : List.of(Contract.REQUESTS_QUEUE, Contract.DEAD_LETTER_QUEUE)) {
      try (Channel c = connection.createChannel()) {
        c.queuePurge(queue);
      } catch (IOException | java.util.concurrent.TimeoutException e) {
        // not declared yet: nothing to purge
      }
    }
  }

  public void deleteQueue(String queue) {
    try (Channel c = connection.createChannel()) {
      c.queueDelete(queue);
    } catch (Exception ignored) {
      // already gone
    }
  }

  public void publish(CloudEvent<? extends CommandData> command) throws IOException {
    publishRaw(command.type(), codec.encode(command));
  }

  public void publishRaw(String routingKey, byte[] body) throws IOException {
    publishRaw(routingKey, Contract.CONTENT_TYPE, body);
  }

  /** @param contentType the AMQP content_type property; null leaves it out */
  public void publishRaw(String routingKey, String contentType, byte[] body) throws IOException {
    channel.basicPublish(Contract.COMMANDS_EXCHANGE, routingKey, new AMQP.BasicProperties.Builder()
        .contentType(contentType).deliveryMode(2).build(), body);
  }

  public void clearEvents() {
    events.clear();
  }

  public List<CloudEvent<EventData>> events() {
    return List.copyOf(events);
  }

  @SuppressWarnings("unchecked")
  public <T extends EventData> List<T> events(Class<T> type) {
    return events.stream().map(CloudEvent::data).filter(type::isInstance).map(d -> (T) d).toList();
  }

  public <T extends EventData> List<T> events(Class<T> type, Predicate<T> filter) {
    return events(type).stream().filter(filter).toList();
  }

  public List<CloudEvent<EventData>> causedBy(String commandId) {
    return events.stream().filter(e -> commandId.equals(e.causationid())).toList();
  }

  /** Takes everything in the dead-letter queue (acking it). */
  public List<GetResponse> drainDeadLetters() throws IOException {
    List<GetResponse> taken = new ArrayList<>();
    GetResponse r;
    while ((r = channel.basicGet(Contract.DEAD_LETTER_QUEUE, true)) != null) {
      taken.add(r);
    }
    return taken;
  }

  @Override
  public void close() throws Exception {
    connection.close();
  }
}
