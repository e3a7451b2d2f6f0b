package io.berth.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmCallback;
import com.rabbitmq.client.Connection;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Confirms, nacks and the channel they arrive on, with a scripted broker. */
class ConfirmingPublisherTest {

  /** A channel that confirms (or nacks) each publish at once, as the script says. */
  private static final class ScriptedChannel {
    final Channel proxy;
    final List<String> published = new ArrayList<>();
    boolean open = true;
    long seq = 1;
    ConfirmCallback ack;
    ConfirmCallback nack;
    final boolean nacksEverything;

    ScriptedChannel(boolean nacksEverything) {
      this.nacksEverything = nacksEverything;
      proxy = (Channel) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Channel.class},
          (self, method, args) -> switch (method.getName()) {
            case "isOpen" -> open;
            case "confirmSelect", "addReturnListener", "addShutdownListener" -> null;
            case "addConfirmListener" -> {
              ack = (ConfirmCallback) args[0];
              nack = (ConfirmCallback) args[1];
              yield null;
            }
            case "getNextPublishSeqNo" -> seq;
            case "basicPublish" -> {
              published.add((String) args[1]);
              long tag = seq++;
              (this.nacksEverything ? nack : ack).handle(tag, false);
              yield null;
            }
            case "abort" -> {
              open = false;
              yield null;
            }
            case "toString" -> "scripted channel";
            default -> throw new UnsupportedOperationException(method.getName());
          });
    }
  }

  @Test
  void aNackedChannelIsReplacedSoOneStuckChannelCannotNackEveryLaterEvent() throws Exception {
    List<ScriptedChannel> channels = new ArrayList<>();
    Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (self, method, args) -> switch (method.getName()) {
          case "createChannel" -> {
            ScriptedChannel c = new ScriptedChannel(channels.isEmpty()); // the first one nacks everything
            channels.add(c);
            yield c.proxy;
          }
          case "isOpen" -> true;
          default -> throw new UnsupportedOperationException(method.getName());
        });
    ConfirmingPublisher publisher = new ConfirmingPublisher(connection);
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().build();

    assertThatThrownBy(() -> publisher.publishAndWait("x", "first", props, new byte[0], Duration.ofSeconds(1)))
        .isInstanceOf(NackedException.class);
    publisher.publishAndWait("x", "second", props, new byte[0], Duration.ofSeconds(1));

    assertThat(channels).hasSize(2);
    assertThat(channels.get(0).published).containsExactly("first");
    assertThat(channels.get(0).open).as("the nacking channel is aborted").isFalse();
    assertThat(channels.get(1).published).containsExactly("second");
  }
}
