package io.berth.worker.messaging;

import com.rabbitmq.client.AMQP;

/** One delivery as the pipeline sees it: the raw bytes and where they came from, nothing decoded yet. */
public record InboundMessage(String queue, String routingKey, long deliveryTag, boolean redelivered,
    AMQP.BasicProperties properties, byte[] body) {

  @Override
  public String toString() {
    return "InboundMessage[queue=" + queue + ", routingKey=" + routingKey + ", deliveryTag=" + deliveryTag
        + ", redelivered=" + redelivered + ", bytes=" + (body == null ? 0 : body.length) + "]";
  }
}
