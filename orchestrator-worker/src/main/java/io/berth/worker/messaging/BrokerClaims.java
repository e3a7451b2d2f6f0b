package io.berth.worker.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.berth.worker.provisioning.TranscoderClaims;
import io.berth.worker.provisioning.TranscoderKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims as broker queues: {@code berth.claim.<tenant>.<transcoder>}, a durable classic queue that holds at most one
 * message and rejects the next publish. Publishing the claim (with a confirm) is therefore an atomic
 * compare-and-set across all hosts; the message names the holder. {@code x-expires} makes it a lease: a queue nobody
 * redeclares for the TTL disappears, so a dead host's claims lapse and its transcoders can be provisioned elsewhere.
 */
public final class BrokerClaims implements TranscoderClaims, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BrokerClaims.class);
  private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

  private final Channel channel;
  private final ConfirmingPublisher publisher;
  private final String hostId;
  private final Map<String, Object> arguments;

  public BrokerClaims(Connection connection, ConfirmingPublisher publisher, String hostId, Duration ttl)
      throws IOException {
    this.channel = connection.createChannel();
    this.publisher = publisher;
    this.hostId = hostId;
    this.arguments = Map.of("x-queue-type", "classic", "x-max-length", 1, "x-overflow", "reject-publish",
        "x-expires", (int) ttl.toMillis());
  }

  public static String queueName(TranscoderKey key) {
    return "berth.claim." + key.tenantId() + "." + key.transcoderId();
  }

  @Override
  public Optional<String> claim(TranscoderKey key) {
    for (int attempt = 0; attempt < 3; attempt++) {
      declare(key);
      try {
        publisher.publishAndWait("", queueName(key), new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
            hostId.getBytes(StandardCharsets.UTF_8), CONFIRM_TIMEOUT);
        return Optional.empty();
      } catch (UnroutableException lapsedMeanwhile) {
        continue; // the lease expired between declare and publish: declare again
      } catch (NackedException full) {
        Optional<String> holder = holder(key);
        if (holder.isPresent()) {
          return holder.get().equals(hostId) ? Optional.empty() : holder;
        }
        // released between our publish and our look: try again
      }
    }
    throw new PublishFailedException("could not settle the claim on " + key + " after 3 attempts");
  }

  @Override
  public void renew(TranscoderKey key) {
    if (declare(key) == 0) {
      // It lapsed (e.g. the broker was away longer than the TTL): take it again.
      claim(key).ifPresent(other -> log.error("claim lost: transcoder={} runs here but is now claimed by host={};"
          + " one of the two must be released", key, other));
    }
  }

  @Override
  public void release(TranscoderKey key) {
    synchronized (channel) {
      try {
        channel.queueDelete(queueName(key));
      } catch (IOException e) {
        throw new PublishFailedException("could not release the claim on " + key + ": " + e.getMessage(), e);
      }
    }
  }

  /** Declaring counts as use: it renews the lease. Returns the number of claim messages (0 or 1). */
  private int declare(TranscoderKey key) {
    synchronized (channel) {
      try {
        return channel.queueDeclare(queueName(key), true, false, false, arguments).getMessageCount();
      } catch (IOException e) {
        throw new PublishFailedException("could not declare the claim on " + key + ": " + e.getMessage(), e);
      }
    }
  }

  private Optional<String> holder(TranscoderKey key) {
    synchronized (channel) {
      try {
        GetResponse claim = channel.basicGet(queueName(key), false);
        if (claim == null) {
          return Optional.empty();
        }
        channel.basicReject(claim.getEnvelope().getDeliveryTag(), true); // only a look
        return Optional.of(new String(claim.getBody(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new PublishFailedException("could not read the claim on " + key + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void close() {
    try {
      if (channel.isOpen()) {
        channel.close();
      }
    } catch (IOException | java.util.concurrent.TimeoutException e) {
      // closing anyway
    }
  }
}
