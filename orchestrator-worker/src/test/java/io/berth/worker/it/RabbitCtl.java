package io.berth.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rabbitmqctl} on this machine: the broker's own way to do to a client what a network or an operator would
 * (close its connection), without the management plugin.
 */
public final class RabbitCtl {
  private RabbitCtl() {}

  /**
   * Keeps a connection closed for a while: amqp-client reconnects every 5 s, so it is closed again each time it is
   * back (polling the broker's connection list: there is no event to wait on).
   */
  public static void keepClosed(String connectionName, java.time.Duration howLong) {
    long end = System.nanoTime() + howLong.toNanos();
    try {
      while (System.nanoTime() < end) {
        closeConnection(connectionName, "berth test: publish outage");
        Thread.sleep(300);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Closes every connection whose client-given name is exactly {@code connectionName}; returns how many. */
  public static int closeConnection(String connectionName, String reason) throws Exception {
    List<String> names = connectionsNamed(connectionName);
    int closed = 0;
    // close_connection wants the connection's Erlang pid, which only the tabular listing prints usably.
    for (String line : Shell.must("rabbitmqctl", "list_connections", "-q", "--no-table-headers", "pid", "name")
        .split("\n")) {
      String[] pidAndName = line.split("\t", 2);
      if (pidAndName.length == 2 && names.contains(pidAndName[1].trim())
          && Shell.run("rabbitmqctl", "close_connection", pidAndName[0].trim(), reason).ok()) {
        closed++;
      }
    }
    return closed;
  }

  /** Sets (or replaces) a policy on the default vhost, as an operator would. */
  public static void setPolicy(String name, String pattern, String definitionJson, String applyTo) {
    Shell.must("rabbitmqctl", "set_policy", name, pattern, definitionJson, "--apply-to", applyTo);
  }

  public static void clearPolicy(String name) {
    Shell.run("rabbitmqctl", "clear_policy", name);
  }

  /** Messages ready in a queue (not counting those delivered and unacked). */
  public static long queueMessages(String queue) throws Exception {
    try (com.rabbitmq.client.Connection c = TestBroker.connect("berth-test-count");
         com.rabbitmq.client.Channel ch = c.createChannel()) {
      return ch.queueDeclarePassive(queue).getMessageCount();
    }
  }

  /** A queue's declared arguments, e.g. {@code x-expires}, as the broker holds them (empty if there is no queue). */
  public static java.util.Map<String, String> queueArguments(String queue) throws Exception {
    java.util.Map<String, String> arguments = new java.util.HashMap<>();
    for (JsonNode q : new ObjectMapper().readTree(Shell.must("rabbitmqctl", "list_queues", "-q", "--formatter", "json",
        "name", "arguments"))) {
      if (queue.equals(q.path("name").asText())) {
        q.path("arguments").forEach(a -> arguments.put(a.path(0).asText(), a.path(2).asText()));
      }
    }
    return arguments;
  }

  /** Routing keys binding {@code exchange} to {@code queue}. */
  public static List<String> bindings(String exchange, String queue) throws Exception {
    List<String> keys = new ArrayList<>();
    for (JsonNode b : new ObjectMapper().readTree(Shell.must("rabbitmqctl", "list_bindings", "-q", "--formatter",
        "json", "source_name", "destination_name", "routing_key"))) {
      if (exchange.equals(b.path("source_name").asText()) && queue.equals(b.path("destination_name").asText())) {
        keys.add(b.path("routing_key").asText());
      }
    }
    return keys;
  }

  /** The broker's names ("peer -> us") of the connections a client opened under {@code connectionName}. */
  public static List<String> connectionsNamed(String connectionName) throws Exception {
    String json = Shell.must("rabbitmqctl", "list_connections", "-q", "--formatter", "json", "name",
        "client_properties");
    List<String> names = new ArrayList<>();
    for (JsonNode connection : new ObjectMapper().readTree(json)) {
      for (JsonNode property : connection.path("client_properties")) {
        if ("connection_name".equals(property.path(0).asText()) && connectionName.equals(property.path(2).asText())) {
          names.add(connection.path("name").asText());
        }
      }
    }
    return names;
  }
}
