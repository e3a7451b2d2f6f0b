package io.berth.worker.cli.preflight;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.berth.worker.messaging.Topology;
import java.io.IOException;
import java.util.Map;

/**
 * {@link BrokerProbe} over AMQP. AMQP cannot read an entity's arguments, but the broker compares them for us: a
 * declare with the arguments the worker uses is a no-op when they match and a 406 PRECONDITION_FAILED, naming the
 * argument, when they do not. So each entity is first declared passively (absent: nothing is created, the worker
 * will), then declared as the worker declares it, each on a channel of its own (a 404 or 406 closes the channel).
 */
public final class AmqpBrokerProbe implements BrokerProbe {

  @Override
  public Session open(io.berth.worker.messaging.BrokerEndpoint broker) throws Exception {
    ConnectionFactory factory = broker.factory();
    factory.setConnectionTimeout(5_000);
    factory.setHandshakeTimeout(5_000);
    factory.setAutomaticRecoveryEnabled(false);
    Connection connection = broker.connect(factory, "berth-preflight");
    return new AmqpSession(connection);
  }

  private record AmqpSession(Connection connection) implements Session {

    @Override
    public String server() {
      Map<String, Object> properties = connection.getServerProperties();
      return properties.getOrDefault("product", "broker") + " " + properties.getOrDefault("version", "");
    }

    @Override
    public Comparison compare(Topology.Entity entity) throws IOException {
      try {
        onChannel(ch -> {
          if (entity.kind() == Topology.Entity.Kind.EXCHANGE) {
            ch.exchangeDeclarePassive(entity.name());
          } else {
            ch.queueDeclarePassive(entity.name());
          }
        });
      } catch (IOException e) {
        if (replyCode(e) == AMQP.NOT_FOUND) {
          return Comparison.absent();
        }
        throw e;
      }
      try {
        onChannel(ch -> {
          if (entity.kind() == Topology.Entity.Kind.EXCHANGE) {
            ch.exchangeDeclare(entity.name(), entity.exchangeType(), true, false, entity.arguments());
          } else {
            ch.queueDeclare(entity.name(), true, false, false, entity.arguments());
          }
        });
        return Comparison.same();
      } catch (IOException e) {
        if (replyCode(e) == AMQP.PRECONDITION_FAILED) {
          return Comparison.different(replyText(e));
        }
        throw e;
      }
    }

    private interface ChannelWork {
      void run(Channel channel) throws IOException;
    }

    private void onChannel(ChannelWork work) throws IOException {
      Channel channel = connection.createChannel();
      try {
        work.run(channel);
      } finally {
        if (channel.isOpen()) {
          try {
            channel.close();
          } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException ignored) {
            // closing a channel we are done with
          }
        }
      }
    }

    private static int replyCode(IOException e) {
      return e.getCause() instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Channel.Close close
          ? close.getReplyCode() : -1;
    }

    private static String replyText(IOException e) {
      return e.getCause() instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Channel.Close close
          ? close.getReplyText() : String.valueOf(e.getMessage());
    }

    @Override
    public void close() {
      try {
        connection.close(3_000);
      } catch (IOException | RuntimeException ignored) {
        // closing anyway
      }
    }
  }
}
