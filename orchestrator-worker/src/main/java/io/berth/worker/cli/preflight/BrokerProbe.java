package io.berth.worker.cli.preflight;

import io.berth.worker.messaging.Topology;
import java.io.IOException;

/** Opens a connection to the broker as the worker would (a fake in tests). */
public interface BrokerProbe {

  /** @throws Exception whatever the AMQP client throws: the broker check puts it in words */
  Session open(io.berth.worker.messaging.BrokerEndpoint broker) throws Exception;

  /** One temporary connection; preflight closes it when done. */
  interface Session extends AutoCloseable {
    /** e.g. {@code RabbitMQ 3.10.8}. */
    String server();

    /**
     * How the broker holds {@code entity}: absent (the worker will declare it), as the worker declares it, or with
     * other arguments (the broker's words say which).
     */
    Comparison compare(Topology.Entity entity) throws IOException;

    @Override
    void close();
  }

  /** @param brokerSays the broker's reply text for {@link Kind#DIFFERENT}, naming the argument that differs */
  record Comparison(Kind kind, String brokerSays) {
    public enum Kind { ABSENT, SAME, DIFFERENT }

    public static Comparison absent() {
      return new Comparison(Kind.ABSENT, "");
    }

    public static Comparison same() {
      return new Comparison(Kind.SAME, "");
    }

    public static Comparison different(String brokerSays) {
      return new Comparison(Kind.DIFFERENT, brokerSays);
    }
  }
}
