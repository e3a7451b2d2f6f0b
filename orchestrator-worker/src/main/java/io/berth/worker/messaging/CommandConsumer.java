package io.berth.worker.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one queue with manual acks and a bounded prefetch, and carries out each delivery's {@link Disposition}.
 * Consumption can be paused for several independent reasons (no capacity, Docker down, shutting down): the consumer
 * is cancelled while any reason holds, so the broker hands the queue's messages to other workers instead. Only the
 * {@link IntakeController} changes that state, from one thread.
 *
 * <p>The consumer owns its channel. When the broker takes it away — the channel closed by a channel-level error
 * (e.g. {@code consumer_timeout}'s PRECONDITION_FAILED), the connection lost, or the consumer cancelled by the server
 * (its queue deleted) — the dead channel is abandoned and the next {@link #apply()} opens a new one and consumes
 * again, with backoff while that fails. Deliveries of an abandoned channel are forgotten, never settled on another
 * channel (delivery tags belong to their channel): the broker requeues them. amqp-client's automatic recovery
 * reconnects the connection, but it never reopens a channel closed by a channel-level error, and left to itself
 * would re-register consumers behind the intake's back; aborting the dead channel takes it out of that recovery.
 */
public final class CommandConsumer {
  private static final Logger log = LoggerFactory.getLogger(CommandConsumer.class);
  /** Backoff between attempts to consume again; the intake timer (2 s) calls often enough to honour the floor. */
  static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  /**
   * How long consuming may keep failing before the consumer reports itself unhealthy (and says so at ERROR): longer
   * than amqp-client's reconnect interval (5 s), so an ordinary reconnect is not an alarm.
   */
  static final Duration UNHEALTHY_AFTER = Duration.ofSeconds(15);

  private final Connection connection;
  private final String queue;
  private final MessageHandler handler;
  private final DeadLetterPublisher deadLetters;
  private final LongSupplier nanoClock;
  private final Set<String> pauseReasons = new HashSet<>();
  /** The pause last logged: a consumer paused before it ever consumed says so too, once per change of reasons. */
  private Set<String> loggedPause = Set.of();
  private volatile Set<String> pausedFor = Set.of();
  private final AtomicInteger inFlight = new AtomicInteger();
  private int prefetch;
  private int consumingWith;
  private Channel channel;
  private String consumerTag;
  /** Changes whenever the broker takes the consumer away; a delivery of an older session is never settled. */
  private long session;
  private int failedAttempts;
  private long failingSinceNanos;
  private long nextAttemptNanos;
  private volatile boolean healthy = true;
  private volatile Runnable onLost = () -> { };

  public CommandConsumer(Connection connection, String queue, int prefetch, MessageHandler handler,
      DeadLetterPublisher deadLetters) {
    this(connection, queue, prefetch, handler, deadLetters, System::nanoTime);
  }

  CommandConsumer(Connection connection, String queue, int prefetch, MessageHandler handler,
      DeadLetterPublisher deadLetters, LongSupplier nanoClock) {
    this.connection = connection;
    this.queue = queue;
    this.prefetch = Math.max(1, prefetch);
    this.handler = handler;
    this.deadLetters = deadLetters;
    this.nanoClock = nanoClock;
  }

  /** Told (on a broker thread) when the broker took the consumer away, so intake can re-decide at once. */
  public void onLost(Runnable onLost) {
    this.onLost = onLost;
  }

  /** Sets or clears one reason to stay paused; {@link #apply()} makes the broker follow. */
  public synchronized void setPaused(String reason, boolean paused) {
    if (paused) {
      pauseReasons.add(reason);
    } else {
      pauseReasons.remove(reason);
    }
    pausedFor = Set.copyOf(pauseReasons);
  }

  /**
   * Whether this consumer is told to pause for {@code reason} right now (for metrics). Read from a copy, without the
   * lock: {@link #apply()} holds it across broker calls, and a scrape must not wait for the broker.
   */
  public boolean pausedFor(String reason) {
    return pausedFor.contains(reason);
  }

  /** The prefetch to consume with; a consumer running with another one is re-created by {@link #apply()}. */
  public synchronized void setPrefetch(int prefetch) {
    this.prefetch = Math.max(1, prefetch);
  }

  public synchronized boolean isConsuming() {
    return consumerTag != null;
  }

  /**
   * False once consuming again has kept failing for {@link #UNHEALTHY_AFTER} while intake wants this queue consumed
   * (channel or connection cannot be reopened, queue gone); true again as soon as it consumes.
   */
  public boolean healthy() {
    return healthy;
  }

  /**
   * Brings the broker in line: cancel while any pause reason holds, consume (with the current prefetch) when none
   * does, on a new channel if the old one died. Idempotent; a failed consume is tried again on a later call, after
   * a backoff.
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
    if (!wanted) {
      if (!pauseReasons.equals(loggedPause)) {
        log.info("not consuming: queue={} reasons={}", queue, new java.util.TreeSet<>(pauseReasons));
        loggedPause = Set.copyOf(pauseReasons);
      }
      recovered(); // paused on purpose is not a failure
      return;
    }
    loggedPause = Set.of();
    if (consumerTag != null || nanoClock.getAsLong() - nextAttemptNanos < 0) {
      return;
    }
    try {
      Channel current = openChannel();
      current.basicQos(prefetch);
      consumerTag = current.basicConsume(queue, false, new Delivery(current, session));
      consumingWith = prefetch;
      log.info("consuming: queue={} prefetch={}", queue, prefetch);
      recovered();
    } catch (IOException | RuntimeException e) {
      failed(e);
    }
  }

  /** The current channel if it is open, else a new one (the dead one abandoned). */
  private Channel openChannel() throws IOException {
    if (channel != null && channel.isOpen()) {
      return channel;
    }
    if (channel != null) {
      session++; // died without telling a consumer (e.g. a consume refused with 404): its deliveries are void too
      abandon(channel);
      channel = null;
    }
    if (!connection.isOpen()) {
      throw new IOException("connection to the broker is down (automatic recovery is reconnecting)");
    }
    channel = connection.createChannel();
    if (channel == null) {
      throw new IOException("the broker refused a new channel (channel limit reached)");
    }
    log.info("opened a new channel: queue={} channel={}", queue, channel.getChannelNumber());
    return channel;
  }

  private void failed(Exception e) {
    long now = nanoClock.getAsLong();
    if (failedAttempts++ == 0) {
      failingSinceNanos = now;
    }
    long backoff = Math.min(MAX_BACKOFF.toNanos(), MIN_BACKOFF.toNanos() << Math.min(failedAttempts - 1, 10));
    nextAttemptNanos = now + backoff;
    if (healthy && now - failingSinceNanos >= UNHEALTHY_AFTER.toNanos()) {
      healthy = false;
      log.error("cannot consume, this worker takes no commands from queue={} until it can: attempts={} failingForS={}"
          + " error={}", queue, failedAttempts, (now - failingSinceNanos) / 1_000_000_000, describe(e));
    } else {
      log.warn("could not consume, will retry: queue={} attempt={} retryInMs={} error={}", queue, failedAttempts,
          backoff / 1_000_000, describe(e));
    }
  }

  /** amqp-client's IOExceptions carry the broker's reason (e.g. 404 NOT_FOUND) only in their cause. */
  private static String describe(Exception e) {
    return e.getMessage() == null && e.getCause() != null ? e.getCause().toString() : e.toString();
  }

  private void recovered() {
    if (!healthy) {
      log.info("consuming again after {} failed attempts: queue={}", failedAttempts, queue);
    }
    healthy = true;
    failedAttempts = 0;
    nextAttemptNanos = nanoClock.getAsLong();
  }

  /** Cancels the consumer now (keeping the channel, so this delivery can still be settled on it). */
  private synchronized void stopConsuming(String why) {
    if (consumerTag == null) {
      return;
    }
    try {
      channel.basicCancel(consumerTag);
      log.info("consumer cancelled: queue={} why={}", queue, why);
    } catch (IOException | RuntimeException e) {
      log.warn("cancel of consumer failed: queue={} error={}", queue, e.toString());
    }
    consumerTag = null;
  }

  /** The broker closed the channel of {@code lostSession}; only the first report of a session counts. */
  private void lost(long lostSession, String why) {
    synchronized (this) {
      if (lostSession != session) {
        return;
      }
      session++;
      consumerTag = null;
      abandon(channel);
      channel = null;
    }
    log.warn("consumer lost, will consume again on a new channel: queue={} why={}", queue, why);
    onLost.run();
  }

  /**
   * The broker cancelled the consumer (basic.cancel) but the channel lives: deliveries in hand can still be settled
   * on it, so it is kept and the next {@link #apply()} consumes on it again (a queue that is gone makes that fail
   * with 404, which closes the channel, and then it is replaced).
   */
  private void cancelled(long cancelledSession, String why) {
    synchronized (this) {
      if (cancelledSession != session || consumerTag == null) {
        return;
      }
      consumerTag = null;
    }
    log.warn("consumer cancelled by the broker, will consume again: queue={} why={}", queue, why);
    onLost.run();
  }

  /**
   * Aborting takes the channel (and its consumer record) out of amqp-client's connection recovery, so the library
   * cannot bring back a consumer the intake no longer knows about.
   */
  private static void abandon(Channel dead) {
    if (dead == null) {
      return;
    }
    try {
      dead.abort();
    } catch (IOException | RuntimeException e) {
      // it is dead already; abort only tidies up
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
    private final long deliverySession;

    Delivery(Channel channel, long deliverySession) {
      super(channel);
      this.deliverySession = deliverySession;
    }

    @Override
    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
      InboundMessage message = new InboundMessage(queue, envelope.getRoutingKey(), envelope.getDeliveryTag(),
          envelope.isRedeliver(), properties, body);
      inFlight.incrementAndGet();
      try {
        handler.handle(message).whenComplete((disposition, error) -> {
          try {
            settle(getChannel(), deliverySession, message,
                error != null ? new Disposition.Requeue("handler failed: " + error) : disposition);
          } finally {
            inFlight.decrementAndGet();
          }
        });
      } catch (RuntimeException e) {
        inFlight.decrementAndGet();
        log.error("handler refused delivery: {} error={}", message, e.toString());
        settle(getChannel(), deliverySession, message, new Disposition.Requeue("handler refused: " + e));
      }
    }

    /** basic.cancel from the server: the queue was deleted (or failed over without us). */
    @Override
    public void handleCancel(String tag) {
      cancelled(deliverySession, "queue deleted, or its leader moved");
    }

    @Override
    public void handleShutdownSignal(String tag, ShutdownSignalException sig) {
      if (sig.isInitiatedByApplication()) {
        return; // we closed it (shutdown, or abandoning a dead channel)
      }
      lost(deliverySession, (sig.isHardError() ? "connection closed: " : "channel closed: ") + sig.getMessage());
    }
  }

  private void settle(Channel on, long deliverySession, InboundMessage message, Disposition disposition) {
    synchronized (this) {
      if (deliverySession != session) {
        // Its channel is gone; the broker has requeued it (or will), and its tag means nothing on a new channel.
        log.info("delivery of a lost channel forgotten, the broker redelivers it: queue={} deliveryTag={} disposition={}",
            queue, message.deliveryTag(), disposition.getClass().getSimpleName());
        return;
      }
    }
    try {
      if (disposition instanceof Disposition.Ack) {
        on.basicAck(message.deliveryTag(), false);
      } else if (disposition instanceof Disposition.Requeue requeue) {
        log.info("requeue: queue={} deliveryTag={} why={}", queue, message.deliveryTag(), requeue.why());
        on.basicNack(message.deliveryTag(), false, true);
      } else if (disposition instanceof Disposition.GiveBack giveBack) {
        stopConsuming("given back: " + giveBack.why());
        log.info("given back to other hosts: queue={} deliveryTag={} why={}", queue, message.deliveryTag(),
            giveBack.why());
        on.basicNack(message.deliveryTag(), false, true);
        onLost.run(); // the intake decides when to consume again
      } else if (disposition instanceof Disposition.Abandon abandon) {
        log.info("left unacked, the broker requeues it when the connection closes: queue={} deliveryTag={} why={}",
            queue, message.deliveryTag(), abandon.why());
      } else if (disposition instanceof Disposition.DeadLetter dl) {
        try {
          deadLetters.deadLetter(message, dl.code(), dl.reason());
          on.basicAck(message.deliveryTag(), false);
        } catch (PublishFailedException e) {
          if (e.getCause() instanceof InterruptedException) {
            return; // shutting down: left unacked, the broker requeues it once when the connection closes
          }
          // Could not park it safely even after retrying: give it back rather than lose it.
          log.error("dead-lettering failed, requeueing: queue={} error={}", queue, e.toString());
          on.basicNack(message.deliveryTag(), false, true);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Channel gone: the broker redelivers unacked messages, so nothing is lost.
      log.warn("could not settle delivery: queue={} deliveryTag={} error={}", queue, message.deliveryTag(), e.toString());
    }
  }
}
