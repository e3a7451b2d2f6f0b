package io.berth.worker.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one queue with manual acks and a bounded prefetch, and carries out each delivery's {@link Disposition}.
 * Consumption can be paused for several independent reasons (no capacity, Docker down, shutting down): the consumer
 * is cancelled while any reason holds, so the broker hands the queue's messages to other workers instead.
 */
public final class CommandConsumer {
  private static final Logger log = LoggerFactory.getLogger(CommandConsumer.class);
  private static final String NOT_STARTED = "not started";

  private final Channel channel;
  private final String queue;
  private final IntSupplier prefetch;
  private final MessageHandler handler;
  private final DeadLetterPublisher deadLetters;
  private final Set<String> pauseReasons = new HashSet<>(Set.of(NOT_STARTED));
  private final AtomicInteger inFlight = new AtomicInteger();
  private String consumerTag;

  /** @param prefetch asked each time consumption (re)starts, so it can follow free capacity */
  public CommandConsumer(Channel channel, String queue, IntSupplier prefetch, MessageHandler handler,
      DeadLetterPublisher deadLetters) {
    this.channel = channel;
    this.queue = queue;
    this.prefetch = prefetch;
    this.handler = handler;
    this.deadLetters = deadLetters;
  }

  public synchronized void start() {
    pauseReasons.remove(NOT_STARTED);
    resumeIfClear();
  }

  public synchronized void pause(String reason) {
    boolean wasConsuming = consumerTag != null;
    pauseReasons.add(reason);
    if (wasConsuming) {
      try {
        channel.basicCancel(consumerTag);
        log.info("consumer paused: queue={} reason={}", queue, reason);
      } catch (IOException | RuntimeException e) {
        log.warn("cancel of consumer failed: queue={} error={}", queue, e.toString());
      }
      consumerTag = null;
    }
  }

  public synchronized void resume(String reason) {
    if (pauseReasons.remove(reason)) {
      resumeIfClear();
    }
  }

  public synchronized boolean isConsuming() {
    return consumerTag != null;
  }

  public int inFlight() {
    return inFlight.get();
  }

  private void resumeIfClear() {
    if (!pauseReasons.isEmpty() || consumerTag != null || !channel.isOpen()) {
      return;
    }
    int count = Math.max(1, prefetch.getAsInt());
    try {
      channel.basicQos(count);
      consumerTag = channel.basicConsume(queue, false, new Delivery(channel));
      log.info("consuming: queue={} prefetch={}", queue, count);
    } catch (IOException | RuntimeException e) {
      log.error("could not consume: queue={} error={}", queue, e.toString());
    }
  }

  /** Waits until in-flight deliveries settle or the grace period ends; whatever is left is redelivered by the broker. */
  public boolean awaitIdle(Duration grace) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50); // a shutdown path with no event to wait on; bounded by the grace period
    }
    return inFlight.get() == 0;
  }

  private final class Delivery extends DefaultConsumer {
    Delivery(Channel channel) {
      super(channel);
    }

    @Override
    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
      InboundMessage message = new InboundMessage(queue, envelope.getRoutingKey(), envelope.getDeliveryTag(),
          envelope.isRedeliver(), properties, body);
      inFlight.incrementAndGet();
      try {
        handler.handle(message).whenComplete((disposition, error) -> {
          try {
            settle(message, error != null ? new Disposition.Requeue("handler failed: " + error) : disposition);
          } finally {
            inFlight.decrementAndGet();
          }
        });
      } catch (RuntimeException e) {
        inFlight.decrementAndGet();
        log.error("handler refused delivery: {} error={}", message, e.toString());
        settle(message, new Disposition.Requeue("handler refused: " + e));
      }
    }
  }

  private void settle(InboundMessage message, Disposition disposition) {
    try {
      if (disposition instanceof Disposition.Ack) {
        channel.basicAck(message.deliveryTag(), false);
      } else if (disposition instanceof Disposition.Requeue requeue) {
        log.info("requeue: queue={} deliveryTag={} why={}", queue, message.deliveryTag(), requeue.why());
        channel.basicNack(message.deliveryTag(), false, true);
      } else if (disposition instanceof Disposition.DeadLetter dl) {
        try {
          deadLetters.deadLetter(message, dl.code(), dl.reason());
          channel.basicAck(message.deliveryTag(), false);
        } catch (PublishFailedException e) {
          // Could not park it safely: give it back rather than lose it.
          log.error("dead-lettering failed, requeueing: queue={} error={}", queue, e.toString());
          channel.basicNack(message.deliveryTag(), false, true);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Channel gone: the broker redelivers unacked messages, so nothing is lost.
      log.warn("could not settle delivery: queue={} deliveryTag={} error={}", queue, message.deliveryTag(), e.toString());
    }
  }
}
