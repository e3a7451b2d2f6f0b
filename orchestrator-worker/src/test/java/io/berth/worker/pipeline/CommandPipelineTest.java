package io.berth.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmCallback;
import com.rabbitmq.client.Connection;
import io.berth.events.Contract;
import io.berth.events.EventCodec;
import io.berth.events.testing.Examples;
import io.berth.worker.messaging.ConfirmingPublisher;
import io.berth.worker.messaging.Disposition;
import io.berth.worker.messaging.InboundMessage;
import io.berth.worker.messaging.LifecyclePublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The pipeline counts every delivery it decides about. Driven through its rejection paths, which need no Docker: the
 * broker is a fake channel that confirms each publish at once.
 */
class CommandPipelineTest {
  private final List<String> published = new CopyOnWriteArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EventCodec codec = new EventCodec();
  private final CommandPipeline pipeline = new CommandPipeline(codec, null, null,
      new LifecyclePublisher(publisher(), codec, Duration.ofSeconds(5)), new io.berth.worker.failure.FailureClassifier(),
      "host-a", "urn:berth:worker:host-a", Clock.systemUTC(), Runnable::run, null, registry);

  private ConfirmingPublisher publisher() {
    AtomicLong seq = new AtomicLong(1);
    AtomicReference<ConfirmCallback> ack = new AtomicReference<>();
    Channel channel = (Channel) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Channel.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "isOpen" -> true;
          case "getNextPublishSeqNo" -> seq.get();
          case "addConfirmListener" -> {
            ack.set((ConfirmCallback) args[0]);
            yield null;
          }
          case "basicPublish" -> {
            published.add((String) args[1]);
            ack.get().handle(seq.getAndIncrement(), false); // the broker confirms at once
            yield null;
          }
          default -> null;
        });
    Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
          case "createChannel" -> channel;
          case "isOpen" -> true;
          default -> null;
        });
    try {
      return new ConfirmingPublisher(connection);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private Disposition handle(String queue, String routingKey, byte[] body) throws Exception {
    AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType(Contract.CONTENT_TYPE).build();
    return pipeline.handle(new InboundMessage(queue, routingKey, 1, false, properties, body))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private double count(String name, String... tags) {
    var counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aMalformedCommandIsCountedAsDeadLetteredWithItsReason() throws Exception {
    Disposition disposition = handle(Contract.REQUESTS_QUEUE, "TranscoderRequested",
        "{not json".getBytes(StandardCharsets.UTF_8));

    assertThat(disposition).isInstanceOf(Disposition.DeadLetter.class);
    assertThat(published).containsExactly("CommandRejected");
    assertThat(count("berth.commands", "type", "TranscoderRequested", "outcome", "dead-lettered")).isEqualTo(1);
    assertThat(count("berth.dead.letters", "code", ((Disposition.DeadLetter) disposition).code())).isEqualTo(1);
  }

  @Test
  void anUnroutableCommandCountsUnderOtherNotUnderItsRoutingKey() throws Exception {
    Disposition disposition = handle(Contract.UNROUTABLE_QUEUE, "TranscoderRequestd",
        codec.encode(Examples.transcoderRequested("acme", "tx-1", "room-1")));

    assertThat(disposition).isInstanceOfSatisfying(Disposition.DeadLetter.class,
        d -> assertThat(d.code()).isEqualTo("unroutable"));
    assertThat(count("berth.commands", "type", "other", "outcome", "dead-lettered")).isEqualTo(1);
    assertThat(count("berth.dead.letters", "code", "unroutable")).isEqualTo(1);
    assertThat(registry.find("berth.commands").tag("type", "TranscoderRequestd").counters()).isEmpty();
  }
}
