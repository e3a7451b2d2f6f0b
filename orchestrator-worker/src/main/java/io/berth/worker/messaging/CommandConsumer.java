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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one queue with manual acks and a bounded prefetch, and carries out each delivery's {@link Disposition}.
 * Consumption can be paused for several independent reasons (no capacity, Docker down, shutting down): the consumer
 * is cancelled while any reason holds, so the broker hands the queue's messages to other workers instead. Only the
 * {@link IntakeController} changes that state, from one thread.
 */
public final class CommandConsumer {
  private static final Logger log = LoggerFactory.getLogger(CommandConsumer.class);

  private final Channel channel;
  private final String queue;
  private int prefetch;
  private int consumingWith;
  private final MessageHandler handler;
  private final DeadLetterPublisher deadLetters;
  private final Set<String> pauseReasons = new HashSet<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private String consumerTag;

  public CommandConsumer(Channel channel, String queue, int prefetch, MessageHandler handler,
      DeadLetterPublisher deadLetters) {
    this.channel = channel;
    this.queue = queue;
    this.prefetch = Math.max(1, prefetch);
    this.handler = handler;
    this.deadLetters = deadLetters;
  }

  /** Sets or clears one reason to stay paused; {@link #apply()} makes the broker follow. */
  public synchronized void setPaused(String reason, boolean paused) {
    if (paused) {
      pauseReasons.add(reason);
    } else {
      pauseReasons.remove(reason);
    }
  }

  /** The prefetch to consume with; a consumer running with another one is re-created by {@link #apply()}. */
  public synchronized void setPrefetch(int prefetch) {
    this.prefetch = Math.max(1, prefetch);
  }

  public synchronized boolean isConsuming() {
    return consumerTag != null;
  }

  /**
   * Brings the broker in line: cancel while any pause reason holds, consume (with the current prefetch) when none
   * does. Idempotent; a failed consume is simply tried again on the next call.
   */
  public synchronized void apply() {
    boolean wanted = pauseReasons.isEmpty();
    if (consumerTag != null && (!wanted || consumingWith != prefetch)) {
      try {
        channel.basicCancel(consumerTag);
        log.info("consumer cancelled: queue={} reasons={}", queue, pauseReasons);
      } catch (IOException | RuntimeException e) {
        log.warn("cancel of consumer failed: queue={} error={}", queue, e.toString());
      }
      consumerTag = null;
    }
    if (wanted && consumerTag == null && channel.isOpen()) {
      try {
        channel.basicQos(prefetch);
        consumerTag = channel.basicConsume(queue, false, new Delivery(channel));
        consumingWith = prefetch;
        log.info("consuming: queue={} prefetch={}", queue, prefetch);
      } catch (IOException | RuntimeException e) {
        log.warn("could not consume, will retry: queue={} error={}", queue, e.toString());
      }
    }
  }

  public int inFlight() {
    return inFlight.get();
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
