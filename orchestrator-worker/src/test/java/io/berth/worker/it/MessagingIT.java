package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.berth.events.Contract;
import io.berth.events.EventCodec;
import io.berth.events.testing.Examples;
import io.berth.worker.messaging.ConfirmingPublisher;
import io.berth.worker.messaging.Topology;
import io.berth.worker.messaging.UnroutableException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The broker-side guarantees, on the real broker: idempotent topology, bounded redelivery, noticed unroutables. */
class MessagingIT {
  private static final String HOST = "it-messaging";
  private Connection connection;
  private Channel channel;

  @BeforeEach
  void connect() throws Exception {
    connection = TestBroker.connect("berth-test-messaging");
    channel = connection.createChannel();
  }

  @AfterEach
  void close() throws Exception {
    try (Channel c = connection.createChannel()) {
      c.queueDelete(Contract.hostQueue(HOST));
    }
    connection.close();
  }

  @Test
  void topologyIsIdempotentAndALoopingCommandIsDeadLetteredAtTheDeliveryLimit() throws Exception {
    Topology.declare(connection, HOST, Contract.DELIVERY_LIMIT);
    Topology.declare(connection, HOST, Contract.DELIVERY_LIMIT); // a second worker start: no error, no change
    channel.queuePurge(Contract.REQUESTS_QUEUE);
    channel.queuePurge(Contract.DEAD_LETTER_QUEUE);

    byte[] body = new EventCodec().encode(Examples.transcoderRequested("loop", "tx-1", "room"));
    channel.basicPublish(Contract.COMMANDS_EXCHANGE, "TranscoderRequested",
        new AMQP.BasicProperties.Builder().contentType(Contract.CONTENT_TYPE).deliveryMode(2).build(), body);

    // A consumer that keeps giving the message back (e.g. it crashes on it every time).
    int deliveries = 0;
    Polled polled;
    while ((polled = awaitMessage()).queue().equals(Contract.REQUESTS_QUEUE)) {
      deliveries++;
      channel.basicNack(polled.response().getEnvelope().getDeliveryTag(), false, true);
      assertThat(deliveries).as("never loops forever").isLessThan(50);
    }
    assertThat(deliveries).as("redelivered up to the limit").isBetween(Contract.DELIVERY_LIMIT, Contract.DELIVERY_LIMIT + 1);
    GetResponse dead = polled.response();
    assertThat(dead.getBody()).isEqualTo(body);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> deaths = (List<Map<String, Object>>) dead.getProps().getHeaders().get("x-death");
    assertThat(deaths.get(0).get("reason").toString()).isEqualTo("delivery_limit");
    channel.basicAck(dead.getEnvelope().getDeliveryTag(), false);
  }

  @Test
  void aHostQueueIsBoundedAndExpiresWhenItsHostIsGoneForLong() throws Exception {
    Topology.declare(connection, HOST, Contract.DELIVERY_LIMIT);
    Topology.declare(connection, HOST, Contract.DELIVERY_LIMIT); // idempotent

    Map<String, String> arguments = RabbitCtl.queueArguments(Contract.hostQueue(HOST));
    assertThat(arguments).containsEntry("x-expires", String.valueOf(Topology.HOST_QUEUE_EXPIRES.toMillis()))
        .containsEntry("x-max-length", String.valueOf(Topology.MAX_QUEUE_LENGTH))
        .as("a full queue refuses (the publisher sees a nack) rather than dropping a command a host still needs")
        .containsEntry("x-overflow", "reject-publish")
        .containsEntry("x-dead-letter-strategy", "at-least-once");
  }

  @Test
  void aHostQueueDeclaredByAnOlderWorkerIsKeptAndBoundAndTheOperatorIsTold() throws Exception {
    String host = "it-messaging-old";
    String queue = Contract.hostQueue(host);
    try {
      channel.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum", "x-delivery-limit", 5));

      List<String> problems = Topology.declare(connection, host, Contract.DELIVERY_LIMIT);

      assertThat(problems).anySatisfy(p -> assertThat(p).contains(queue).contains("rabbitmqctl set_policy"));
      assertThat(RabbitCtl.queueArguments(queue)).doesNotContainKey("x-expires"); // left as it was
      assertThat(RabbitCtl.bindings(Contract.COMMANDS_EXCHANGE, queue))
          .containsExactlyInAnyOrderElementsOf(Topology.BROADCAST_COMMANDS.stream().map(t -> t.typeName()).toList());
    } finally {
      channel = connection.isOpen() && channel.isOpen() ? channel : connection.createChannel();
      channel.queueDelete(queue);
    }
  }

  private record Polled(String queue, GetResponse response) {}

  /** The message, from the request queue or, once dead-lettered, from the dead-letter queue (requeues are async). */
  private Polled awaitMessage() {
    return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
      for (String queue : List.of(Contract.REQUESTS_QUEUE, Contract.DEAD_LETTER_QUEUE)) {
        GetResponse r = channel.basicGet(queue, false);
        if (r != null) {
          return new Polled(queue, r);
        }
      }
      return null;
    }, java.util.Objects::nonNull);
  }

  @Test
  void aPublisherChannelKilledByAChannelErrorIsReplacedForTheNextPublish() throws Exception {
    ConfirmingPublisher publisher = new ConfirmingPublisher(connection);
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
    // 404 NOT_FOUND closes the publisher's channel; connection recovery never reopens a channel closed that way.
    assertThatThrownBy(() -> publisher.publishAndWait("berth-test-no-such-exchange-" + System.nanoTime(), "x", props,
        new byte[] {1}, Duration.ofSeconds(10))).isInstanceOf(io.berth.worker.messaging.PublishFailedException.class);

    String queue = channel.queueDeclare("", false, true, true, null).getQueue();
    publisher.publishAndWait("", queue, props, new byte[] {2}, Duration.ofSeconds(10));
    assertThat(channel.basicGet(queue, true).getBody()).containsExactly(2);
    publisher.close();
  }

  @Test
  void anUnroutablePublishFailsInsteadOfVanishing() throws Exception {
    String exchange = "berth-test-unroutable";
    channel.exchangeDeclare(exchange, "topic", false, true, null);
    try {
      ConfirmingPublisher publisher = new ConfirmingPublisher(connection);
      AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
      assertThatThrownBy(() -> publisher.publishAndWait(exchange, "nobody.listens", props, new byte[] {1},
          Duration.ofSeconds(10))).isInstanceOf(UnroutableException.class).hasMessageContaining("NO_ROUTE");

      String queue = channel.queueDeclare("", false, true, true, null).getQueue();
      channel.queueBind(queue, exchange, "somebody.listens");
      publisher.publishAndWait(exchange, "somebody.listens", props, new byte[] {2}, Duration.ofSeconds(10));
      assertThat(channel.basicGet(queue, true).getBody()).containsExactly(2);
      publisher.close();
    } finally {
      channel.exchangeDelete(exchange);
    }
  }
}
