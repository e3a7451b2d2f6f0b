package io.berth.worker.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeoutException;

/**
 * Publishes with publisher confirms and {@code mandatory}, on one channel of its own. Each publish returns a future
 * that completes when the broker confirms, and fails when it nacks, returns the message as unroutable, or the channel
 * dies. Many threads may publish at once; confirms are tracked by sequence number, not by blocking per message.
 *
 * <p>A channel closed by a channel-level error (e.g. a publish to an exchange that is not there) is not brought back
 * by amqp-client's connection recovery: the next publish opens a new one, so one bad publish cannot stop every
 * later event.
 */
public final class ConfirmingPublisher implements AutoCloseable {
  /** Lets a basic.return be matched to its publish: returns carry headers but no sequence number. */
  static final String SEQUENCE_HEADER = "x-berth-publish-seq";

  private final Connection connection;
  private Channel channel;
  private final ConcurrentNavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
  private final Object publishLock = new Object();

  private static final class Pending {
    final CompletableFuture<Void> future = new CompletableFuture<>();
    volatile String returnedBecause;
  }

  public ConfirmingPublisher(Connection connection) throws IOException {
    this.connection = connection;
    this.channel = open(connection);
  }

  private Channel open(Connection connection) throws IOException {
    Channel channel = connection.createChannel();
    if (channel == null) {
      throw new IOException("the broker refused a new channel (channel limit reached)");
    }
    channel.confirmSelect();
    channel.addReturnListener(r -> {
      Object seq = r.getProperties().getHeaders() == null ? null : r.getProperties().getHeaders().get(SEQUENCE_HEADER);
      if (seq instanceof Number n) {
        Pending p = pending.get(n.longValue());
        if (p != null) {
          p.returnedBecause = r.getReplyCode() + " " + r.getReplyText() + " (exchange " + r.getExchange()
              + ", routing key " + r.getRoutingKey() + ")";
        }
      }
    });
    channel.addConfirmListener(
        (tag, multiple) -> settle(tag, multiple, null),
        (tag, multiple) -> settle(tag, multiple, "broker nacked the message"));
    channel.addShutdownListener(cause -> failAll("channel closed: " + cause.getMessage()));
    return channel;
  }

  /**
   * The channel to publish on: a new one when the current one died of a channel error while the connection is up
   * (while the connection is down, automatic recovery brings the channel back with it). Called under publishLock.
   */
  private Channel channel() throws IOException {
    // A nack also retires the channel: RabbitMQ 3.10 can leave a channel opened during a quorum-queue leader election
    // nacking every later publish to that queue, while a new channel is acked at once (seen on the test cluster).
    if ((!channel.isOpen() || nacked) && connection.isOpen()) {
      nacked = false;
      Channel dead = channel;
      try {
        dead.abort(); // out of the connection's recovery, so it does not come back beside the new one
      } catch (IOException | RuntimeException ignored) {
        // dead already
      }
      failAll("channel replaced"); // its sequence numbers start again on the new channel
      channel = open(connection);
    }
    return channel;
  }

  /**
   * @return completes when confirmed; fails with {@link UnroutableException} when no queue took it, or
   *     {@link PublishFailedException} otherwise
   */
  public CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
    Pending p = new Pending();
    synchronized (publishLock) {
      Channel on;
      try {
        on = channel();
      } catch (IOException | RuntimeException e) {
        p.future.completeExceptionally(new PublishFailedException("no channel to publish on: " + e.getMessage(), e));
        return p.future;
      }
      long seq = on.getNextPublishSeqNo();
      Map<String, Object> headers = new HashMap<>(properties.getHeaders() == null ? Map.of() : properties.getHeaders());
      headers.put(SEQUENCE_HEADER, seq);
      pending.put(seq, p);
      try {
        on.basicPublish(exchange, routingKey, true, properties.builder().headers(headers).build(), body);
      } catch (IOException | RuntimeException e) {
        pending.remove(seq);
        p.future.completeExceptionally(new PublishFailedException("publish to " + exchange + " failed: " + e.getMessage(), e));
      }
    }
    return p.future;
  }

  /** Blocks until confirmed, for callers that must not go on (ack) before the broker holds the message. */
  public void publishAndWait(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body,
      java.time.Duration timeout) {
    CompletableFuture<Void> confirmed = publish(exchange, routingKey, properties, body);
    try {
      confirmed.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishFailedException("interrupted while waiting for a publisher confirm", e);
    } catch (TimeoutException e) {
      pending.values().removeIf(p -> p.future == confirmed); // a confirm that never comes must not pile up
      throw new PublishFailedException("no publisher confirm within " + timeout, e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new PublishFailedException(e.getCause().getMessage(), e.getCause());
    }
  }

  private volatile boolean nacked;

  private void settle(long tag, boolean multiple, String nackReason) {
    if (nackReason != null) {
      nacked = true;
    }
    Map<Long, Pending> done = multiple ? pending.headMap(tag, true) : subMap(tag);
    for (Map.Entry<Long, Pending> entry : Map.copyOf(done).entrySet()) {
      pending.remove(entry.getKey());
      Pending p = entry.getValue();
      if (nackReason != null) {
        p.future.completeExceptionally(new NackedException(nackReason));
      } else if (p.returnedBecause != null) {
        p.future.completeExceptionally(new UnroutableException("unroutable: " + p.returnedBecause));
      } else {
        p.future.complete(null);
      }
    }
  }

  private Map<Long, Pending> subMap(long tag) {
    Pending p = pending.get(tag);
    return p == null ? Map.of() : Map.of(tag, p);
  }

  private void failAll(String reason) {
    for (Long seq : pending.keySet()) {
      Pending p = pending.remove(seq);
      if (p != null) {
        p.future.completeExceptionally(new PublishFailedException(reason));
      }
    }
  }

  @Override
  public void close() {
    try {
      Channel current;
      synchronized (publishLock) {
        current = channel;
      }
      if (current.isOpen()) {
        current.close();
      }
    } catch (IOException | TimeoutException | com.rabbitmq.client.AlreadyClosedException e) {
      // closing anyway; pending futures were failed by the shutdown listener
    }
  }
}
