package io.berth.worker.messaging;

import com.rabbitmq.client.AMQP;
import io.berth.events.Contract;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Copies a rejected command to {@code berth.dead-letter} with the reason in headers, and returns once the broker has
 * confirmed it: only then may the original be acked. (A plain basic.reject would dead-letter it too, but without a
 * reason anybody could read.)
 */
public final class DeadLetterPublisher {
  /** Reasons are for humans reading a queue; keep them bounded. */
  private static final int MAX_REASON_LENGTH = 1000;

  private final ConfirmingPublisher publisher;
  private final String hostId;
  private final Duration confirmTimeout;
  private final PublishRetry retry;

  public DeadLetterPublisher(ConfirmingPublisher publisher, String hostId, Duration confirmTimeout) {
    this(publisher, hostId, confirmTimeout, PublishRetry.standard());
  }

  public DeadLetterPublisher(ConfirmingPublisher publisher, String hostId, Duration confirmTimeout,
      PublishRetry retry) {
    this.publisher = publisher;
    this.hostId = hostId;
    this.confirmTimeout = confirmTimeout;
    this.retry = retry;
  }

  public void deadLetter(InboundMessage message, String code, String reason) {
    AMQP.BasicProperties original = message.properties() == null
        ? new AMQP.BasicProperties() : message.properties();
    Map<String, Object> headers = new HashMap<>(original.getHeaders() == null ? Map.of() : original.getHeaders());
    headers.put(Contract.REASON_CODE_HEADER, code);
    headers.put(Contract.REASON_HEADER, reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) + "..." : reason);
    headers.put(Contract.REJECTED_BY_HEADER, hostId);
    headers.put("x-berth-original-queue", message.queue());
    AMQP.BasicProperties properties = original.builder().headers(headers).deliveryMode(2).build();
    String routingKey = message.routingKey() == null ? "" : message.routingKey();
    // Held and retried rather than requeued: a requeue would spend one of the command's deliveries per failure.
    retry.run("dead-letter " + code, () -> publisher.publishAndWait(Contract.DEAD_LETTER_EXCHANGE, routingKey,
        properties, message.body(), confirmTimeout));
  }
}
