package io.berth.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The consumer's bookkeeping against a scripted broker: which channel it consumes on after the broker took one
 * away, and where (if anywhere) each delivery is settled.
 */
class CommandConsumerTest {
  private final List<FakeChannel> channels = new ArrayList<>();
  private final AtomicBoolean connectionOpen = new AtomicBoolean(true);
  private final AtomicLong now = new AtomicLong();
  private final List<CompletableFuture<Disposition>> handled = new CopyOnWriteArrayList<>();
  private final CommandConsumer consumer = new CommandConsumer(connection(), "berth.host.h1", 4,
      message -> {
        CompletableFuture<Disposition> result = new CompletableFuture<>();
        handled.add(result);
        return result;
      }, null, now::get);

  @Test
  void aChannelClosedByTheBrokerIsReplacedAndItsDeliveriesAreNeverSettledOnTheNewOne() {
    consumer.apply();
    FakeChannel first = channels.get(0);
    first.deliver(7);
    // consumer_timeout: the broker closes the channel with PRECONDITION_FAILED while delivery 7 is in hand
    first.closeByBroker(false);
    consumer.apply();

    assertThat(channels).hasSize(2);
    FakeChannel second = channels.get(1);
    assertThat(second.consumers).hasSize(1);
    assertThat(consumer.isConsuming()).isTrue();
    assertThat(first.aborted).as("taken out of connection recovery").isTrue();

    handled.get(0).complete(Disposition.ack());
    assertThat(first.calls).as("not even attempted on the dead channel").doesNotContain("ack 7");
    assertThat(second.calls).noneMatch(c -> c.startsWith("ack") || c.startsWith("nack"));

    second.deliver(1);
    handled.get(1).complete(Disposition.ack());
    assertThat(second.calls).contains("ack 1");
  }

  @Test
  void aServerSideCancelConsumesAgainAndABrokenConnectionBacksOffAndTurnsUnhealthy() {
    consumer.apply();
    FakeChannel channel = channels.get(0);
    channel.deliver(4);
    channel.cancelByBroker();
    assertThat(consumer.isConsuming()).isFalse();
    consumer.apply();
    assertThat(consumer.isConsuming()).isTrue();
    assertThat(channel.consumers).as("again, on the same channel").hasSize(2);
    handled.get(0).complete(Disposition.ack());
    assertThat(channel.calls).as("a delivery from before the cancel is still acked on its channel").contains("ack 4");

    connectionOpen.set(false);
    channel.closeByBroker(true);
    for (int second = 0; second <= 40; second++) {
      now.set(Duration.ofSeconds(second).toNanos());
      consumer.apply();
    }
    assertThat(consumer.healthy()).as("failing for longer than " + CommandConsumer.UNHEALTHY_AFTER).isFalse();
    assertThat(channels).as("no channel while the connection is down").hasSize(1);

    connectionOpen.set(true);
    now.addAndGet(CommandConsumer.MAX_BACKOFF.toNanos());
    consumer.apply();
    assertThat(consumer.isConsuming()).isTrue();
    assertThat(consumer.healthy()).isTrue();
    assertThat(channels).hasSize(2);
  }

  @Test
  void noCapacityCancelsTheConsumerBeforeGivingTheRequestBack() {
    consumer.apply();
    FakeChannel channel = channels.get(0);
    channel.deliver(3);
    handled.get(0).complete(new Disposition.GiveBack("host h1 holds 20 transcoders"));
    assertThat(channel.calls).containsSubsequence("cancel", "nack 3 requeue");
    assertThat(consumer.isConsuming()).isFalse();
  }

  @Test
  void shuttingDownLeavesTheDeliveryUnackedForTheBrokerToRequeueOnce() {
    consumer.apply();
    FakeChannel channel = channels.get(0);
    channel.deliver(5);
    handled.get(0).complete(new Disposition.Abandon("worker is shutting down"));
    assertThat(channel.calls).noneMatch(c -> c.startsWith("ack") || c.startsWith("nack"));
    assertThat(consumer.inFlight()).isZero();
  }

  @Test
  void intakeTellsWhichReasonsPauseItForTheMetrics() throws Exception {
    java.util.concurrent.atomic.AtomicInteger free = new java.util.concurrent.atomic.AtomicInteger(0);
    AtomicBoolean unsafe = new AtomicBoolean(true);
    CommandConsumer requests = new CommandConsumer(connection(), "berth.requests", 4,
        message -> new CompletableFuture<>(), null, now::get);
    try (IntakeController intake = new IntakeController(requests, List.of(consumer), 4, free::get, () -> false,
        () -> false)) {
      intake.pauseWhen("unsafe", unsafe::get, false);
      intake.syncNow();
      assertThat(intake.reasons()).containsExactlyInAnyOrder("shutdown", "docker", "capacity", "unsafe");
      assertThat(intake.pausedFor("capacity")).as("a full host").isTrue();
      assertThat(intake.pausedFor("unsafe")).isTrue();
      assertThat(intake.pausedFor("docker")).isFalse();

      free.set(2);
      unsafe.set(false);
      intake.syncNow();
      assertThat(intake.reasons()).noneMatch(intake::pausedFor);
      assertThat(requests.isConsuming()).isTrue();
    }
  }

  private Connection connection() {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "isOpen" -> connectionOpen.get();
          case "createChannel" -> {
            if (!connectionOpen.get()) {
              throw new com.rabbitmq.client.AlreadyClosedException(
                  new ShutdownSignalException(true, false, null, proxy));
            }
            FakeChannel channel = new FakeChannel(channels.size() + 1);
            channels.add(channel);
            yield channel.proxy;
          }
          case "toString" -> "fake connection";
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  /** Just enough of a channel: consumes, cancels, acks and nacks are recorded; the broker's moves are scripted. */
  private static final class FakeChannel {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Consumer> consumers = new ArrayList<>();
    final Channel proxy;
    boolean open = true;
    boolean aborted;

    FakeChannel(int number) {
      proxy = (Channel) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Channel.class},
          (self, method, args) -> switch (method.getName()) {
            case "isOpen" -> open;
            case "getChannelNumber" -> number;
            case "basicQos" -> {
              calls.add("qos " + args[0]);
              yield null;
            }
            case "basicConsume" -> {
              consumers.add((Consumer) args[args.length - 1]);
              calls.add("consume");
              yield "tag-" + consumers.size();
            }
            case "basicCancel" -> {
              calls.add("cancel");
              yield null;
            }
            case "basicAck" -> {
              calls.add("ack " + args[0]);
              requireOpen();
              yield null;
            }
            case "basicNack" -> {
              calls.add("nack " + args[0] + ((Boolean) args[2] ? " requeue" : ""));
              requireOpen();
              yield null;
            }
            case "abort" -> {
              aborted = true;
              open = false;
              yield null;
            }
            case "toString" -> "fake channel " + number;
            default -> throw new UnsupportedOperationException(method.getName());
          });
    }

    private void requireOpen() throws IOException {
      if (!open) {
        throw new com.rabbitmq.client.AlreadyClosedException(new ShutdownSignalException(false, false, null, proxy));
      }
    }

    void deliver(long tag) {
      Consumer last = consumers.get(consumers.size() - 1);
      try {
        last.handleDelivery("tag-" + consumers.size(), new Envelope(tag, false, "berth.commands", "RoomClosed"),
            new AMQP.BasicProperties(), new byte[0]);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    void closeByBroker(boolean connectionLevel) {
      open = false;
      consumers.get(consumers.size() - 1).handleShutdownSignal("tag-" + consumers.size(),
          new ShutdownSignalException(connectionLevel, false, null, proxy));
    }

    void cancelByBroker() {
      try {
        consumers.get(consumers.size() - 1).handleCancel("tag-" + consumers.size());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
