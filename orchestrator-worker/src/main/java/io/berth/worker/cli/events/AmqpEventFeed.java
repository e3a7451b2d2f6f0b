package io.berth.worker.cli.events;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import io.berth.events.Contract;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link EventFeed} on RabbitMQ: a server-named, exclusive, auto-delete queue bound to {@code berth.lifecycle} per
 * routing key, consumed with auto-ack (a follower that misses an event loses nothing anyone else needs). The queue
 * goes with the connection, so following leaves nothing behind on the broker. A lost connection is recovered by the
 * client (queue, bindings and consumer declared again); what was published in between is missed, and said so.
 */
public final class AmqpEventFeed implements EventFeed {
  private final io.berth.worker.messaging.BrokerEndpoint broker;

  public AmqpEventFeed(io.berth.worker.messaging.BrokerEndpoint broker) {
    this.broker = broker;
  }

  @Override
  public AutoCloseable follow(List<String> routingKeys, Listener listener) throws Exception {
    ConnectionFactory factory = broker.factory();
    factory.setConnectionTimeout(5_000);
    factory.setAutomaticRecoveryEnabled(true);
    factory.setRequestedHeartbeat(15);
    Connection connection = broker.connect(factory, "berth-events");
    AtomicBoolean closing = new AtomicBoolean();
    try {
      connection.addShutdownListener(cause -> {
        if (!closing.get() && !cause.isInitiatedByApplication()) {
          listener.notice("connection to the broker lost (" + cause.getMessage() + "); reconnecting, events"
              + " published meanwhile are missed");
        }
      });
      if (connection instanceof Recoverable recoverable) {
        recoverable.addRecoveryListener(new RecoveryListener() {
          @Override
          public void handleRecovery(Recoverable recovered) {
            listener.notice("reconnected to the broker; following again");
          }

          @Override
          public void handleRecoveryStarted(Recoverable recovering) {
            // said already by the shutdown listener
          }
        });
      }
      Channel channel = connection.createChannel();
      // declared as the workers declare it (a no-op when they did), so following works before any worker starts
      channel.exchangeDeclare(Contract.LIFECYCLE_EXCHANGE, BuiltinExchangeType.TOPIC, true);
      String queue = channel.queueDeclare("", false, true, true, null).getQueue();
      for (String key : routingKeys) {
        channel.queueBind(queue, Contract.LIFECYCLE_EXCHANGE, key);
      }
      channel.basicConsume(queue, true, (tag, delivery) -> listener.event(delivery.getBody()),
          tag -> listener.ended("the broker cancelled the subscription (its queue was deleted)"));
    } catch (Exception e) {
      connection.abort(2_000);
      throw e;
    }
    return () -> {
      if (closing.compareAndSet(false, true)) {
        try {
          connection.close(3_000);
        } catch (Exception ignored) {
          // the exclusive queue goes with the connection either way
        }
      }
    };
  }
}
