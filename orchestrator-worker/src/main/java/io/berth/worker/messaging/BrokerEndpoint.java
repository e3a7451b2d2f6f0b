package io.berth.worker.messaging;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.berth.worker.config.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to reach the broker, the one way the worker and every CLI command connect: the URI gives credentials, vhost and
 * TLS; the nodes of a cluster, when given, the hosts, tried in turn on connect and on every recovery.
 *
 * @param uri may carry a password: never printed ({@link #toString()} leaves it out)
 * @param nodes {@code host} or {@code host:port} of every node; empty: the URI's host
 */
public record BrokerEndpoint(Secret uri, List<String> nodes) {
  private static final Pattern NODE = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+)(?::(\\d{1,5}))?");

  public BrokerEndpoint {
    Objects.requireNonNull(uri, "uri");
    nodes = List.copyOf(nodes);
  }

  /**
   * Parses {@code host[:port],host[:port]} (blanks and empty items ignored); the port defaults to the URI scheme's.
   *
   * @throws IllegalArgumentException naming the item that is not one
   */
  public static List<String> parseNodes(String text) {
    List<String> nodes = new ArrayList<>();
    for (String item : (text == null ? "" : text).split(",")) {
      String node = item.strip();
      if (node.isEmpty()) {
        continue;
      }
      Matcher m = NODE.matcher(node);
      if (!m.matches() || (m.group(2) != null && (Integer.parseInt(m.group(2)) < 1
          || Integer.parseInt(m.group(2)) > 65535))) {
        throw new IllegalArgumentException(
            "'" + node + "' is not host or host:port (list them comma-separated, e.g. rmq1:5672,rmq2:5672)");
      }
      nodes.add(node);
    }
    return nodes;
  }

  /** A factory with the URI set; the caller adds its timeouts and recovery. */
  public ConnectionFactory factory() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(uri.reveal());
    return factory;
  }

  /** Connects through {@code factory} (made by {@link #factory()}) to the first node that answers. */
  public Connection connect(ConnectionFactory factory, String connectionName) throws Exception {
    if (nodes.isEmpty()) {
      return factory.newConnection(connectionName);
    }
    return factory.newConnection(nodes.stream().map(Address::parseAddress).toList(), connectionName);
  }

  /** For messages: the URI without its password, and the nodes when they are given. */
  public String describe() {
    return io.berth.worker.cli.AmqpUris.redacted(uri.reveal()) + (nodes.isEmpty() ? "" : " via nodes " + nodes);
  }

  @Override
  public String toString() {
    return "BrokerEndpoint[" + describe() + "]";
  }
}
