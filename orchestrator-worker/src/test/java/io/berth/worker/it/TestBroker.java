package io.berth.worker.it;

import org.testcontainers.containers.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The broker for integration tests: {@code BERTH_TEST_AMQP_URI} when set (CI points it at the local RabbitMQ),
 * otherwise one RabbitMQ container started by Testcontainers for the whole run.
 */
public final class TestBroker {
  public static final String ENV = "BERTH_TEST_AMQP_URI";
  private static String uri;

  private TestBroker() {}

  /** A connection of the test's own, named so it is recognisable in the broker's connection list. */
  public static com.rabbitmq.client.Connection connect(String name) throws Exception {
    com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
    factory.setUri(amqpUri());
    return factory.newConnection(name);
  }

  public static synchronized String amqpUri() {
    if (uri == null) {
      String fromEnv = System.getenv(ENV);
      if (fromEnv != null && !fromEnv.isBlank()) {
        uri = fromEnv;
      } else {
        RabbitMQContainer rabbit = new RabbitMQContainer(DockerImageName.parse("rabbitmq:3.13-management"));
        rabbit.start();
        uri = rabbit.getAmqpUrl();
      }
    }
    return uri;
  }
}
