package io.berth.worker.messaging;

import com.rabbitmq.client.AMQP;
import io.berth.events.CloudEvent;
import io.berth.events.Contract;
import io.berth.events.EventCodec;
import java.time.Duration;
import java.util.Date;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes lifecycle events to {@code berth.lifecycle}, persistent, and returns only once the broker confirmed.
 * An event no queue is bound for is logged loudly but does not fail the command: the Docker effect already happened,
 * and holding commands hostage to a missing monitoring queue would stall every tenant.
 */
public final class LifecyclePublisher {
  private static final Logger log = LoggerFactory.getLogger(LifecyclePublisher.class);

  private final ConfirmingPublisher publisher;
  private final EventCodec codec;
  private final Duration confirmTimeout;

  public LifecyclePublisher(ConfirmingPublisher publisher, EventCodec codec, Duration confirmTimeout) {
    this.publisher = publisher;
    this.codec = codec;
    this.confirmTimeout = confirmTimeout;
  }

  public void publish(CloudEvent<?> event) {
    AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
        .contentType(Contract.CONTENT_TYPE)
        .deliveryMode(2)
        .messageId(event.id())
        .type(event.type())
        .timestamp(Date.from(event.time()))
        .build();
    try {
      publisher.publishAndWait(Contract.LIFECYCLE_EXCHANGE, event.type(), properties, codec.encode(event), confirmTimeout);
    } catch (UnroutableException e) {
      log.warn("lifecycle event unroutable, no queue is bound to {} for {}: eventId={} causationId={}",
          Contract.LIFECYCLE_EXCHANGE, event.type(), event.id(), event.causationid());
    }
  }
}
