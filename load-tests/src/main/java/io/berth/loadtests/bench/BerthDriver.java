package io.berth.loadtests.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.berth.events.CloudEvent;
import io.berth.events.CommandData;
import io.berth.events.CommandRejected;
import io.berth.events.Contract;
import io.berth.events.EventCodec;
import io.berth.events.EventData;
import io.berth.events.ProvisioningFailed;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Berth as its users see it: commands published to {@code berth.commands} (with publisher confirms) and lifecycle
 * events consumed from {@code berth.lifecycle}. Each event is stamped on arrival and filed under the command that
 * caused it (CloudEvents {@code causationid}), so a command's latency is publish to the matching event's arrival,
 * the broker's confirm and delivery included.
 */
public final class BerthDriver implements AutoCloseable {
  /** An event as it arrived. */
  public record Arrival(long nanos, EventData data) { }

  /** A batch with no new event for this long has stalled: the run reports it instead of waiting on. */
  static final Duration STALL = Duration.ofSeconds(60);

  private final Connection connection;
  private final Channel publisher;
  private final Channel listener;
  private final EventCodec codec = new EventCodec();
  private final Map<String, Long> published = new ConcurrentHashMap<>();
  private final Map<String, List<Arrival>> byCause = new ConcurrentHashMap<>();

  public BerthDriver(String amqpUri) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(amqpUri);
    connection = factory.newConnection("berth-bench-driver");
    io.berth.worker.messaging.Topology.declareCommandsExchange(connection);
    publisher = connection.createChannel();
    publisher.confirmSelect();
    listener = connection.createChannel();
    listener.exchangeDeclare(Contract.LIFECYCLE_EXCHANGE, "topic", true);
    String queue = listener.queueDeclare("", false, true, true, null).getQueue();
    listener.queueBind(queue, Contract.LIFECYCLE_EXCHANGE, "#");
    listener.basicConsume(queue, true, (tag, delivery) -> {
      long now = System.nanoTime();
      try {
        CloudEvent<EventData> event = codec.decode(delivery.getBody());
        if (event.causationid() != null) {
          byCause.computeIfAbsent(event.causationid(), k -> new CopyOnWriteArrayList<>())
              .add(new Arrival(now, event.data()));
        }
      } catch (Exception ignored) {
        // not ours to judge here: the worker's own tests check what it publishes
      }
    }, tag -> { });
  }

  public Connection connection() {
    return connection;
  }

  /** Publishes one command (persistent) and notes when; confirms are awaited with {@link #confirmed}. */
  public long publish(CloudEvent<? extends CommandData> command) throws IOException {
    byte[] body = codec.encode(command);
    long now = System.nanoTime();
    published.put(command.id(), now);
    publisher.basicPublish(Contract.COMMANDS_EXCHANGE, command.type(), new AMQP.BasicProperties.Builder()
        .contentType(Contract.CONTENT_TYPE).deliveryMode(2).build(), body);
    return now;
  }

  /** Waits until the broker has confirmed everything published so far. */
  public void confirmed() throws Exception {
    publisher.waitForConfirmsOrDie(TimeUnit.SECONDS.toMillis(60));
  }

  public long publishedAt(String commandId) {
    return published.get(commandId);
  }

  public List<Arrival> causedBy(String commandId) {
    return byCause.getOrDefault(commandId, List.of());
  }

  /** The first event of {@code type} caused by the command, in nanos, or -1. */
  public long firstArrival(String commandId, Class<? extends EventData> type) {
    return causedBy(commandId).stream().filter(a -> type.isInstance(a.data())).mapToLong(Arrival::nanos).min()
        .orElse(-1);
  }

  /** Whether the command ended in a failure event (provisioning failed, rejected). */
  public boolean failed(String commandId) {
    return causedBy(commandId).stream()
        .anyMatch(a -> a.data() instanceof ProvisioningFailed || a.data() instanceof CommandRejected);
  }

  /**
   * Waits until each command has an event of {@code type} (or failed), at most {@code within}; reports progress as
   * the count done. Returns how many got their event.
   */
  public int await(Collection<String> commandIds, Class<? extends EventData> type, Duration within,
      IntConsumer progress) {
    long deadline = System.nanoTime() + within.toNanos();
    long lastChange = System.nanoTime();
    int done = 0;
    while (System.nanoTime() < deadline && System.nanoTime() - lastChange < STALL.toNanos()) {
      int now = (int) commandIds.stream().filter(id -> firstArrival(id, type) >= 0 || failed(id)).count();
      if (now != done) {
        lastChange = System.nanoTime();
      }
      done = now;
      progress.accept(done);
      if (done == commandIds.size()) {
        break;
      }
      sleep(20);
    }
    return (int) commandIds.stream().filter(id -> firstArrival(id, type) >= 0).count();
  }

  /** Waits until {@code count} events of {@code type} were caused by one command (a room close), at most within. */
  public int awaitMany(String commandId, Class<? extends EventData> type, int count, Duration within,
      IntConsumer progress) {
    long deadline = System.nanoTime() + within.toNanos();
    int done = 0;
    while (System.nanoTime() < deadline) {
      done = (int) causedBy(commandId).stream().filter(a -> type.isInstance(a.data())).count();
      progress.accept(done);
      if (done >= count) {
        break;
      }
      sleep(20);
    }
    return done;
  }

  /** Ready messages in a queue (passive declare); -1 when it cannot be read. */
  public long queueDepth(String queue) {
    try (Channel c = connection.createChannel()) {
      return c.queueDeclarePassive(queue).getMessageCount();
    } catch (Exception e) {
      return -1;
    }
  }

  public void purge(String queue) {
    try (Channel c = connection.createChannel()) {
      c.queuePurge(queue);
    } catch (Exception ignored) {
      // not declared yet
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() throws Exception {
    if (connection.isOpen()) {
      connection.close();
    }
  }
}
