package io.berth.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.berth.events.CloudEvent;
import io.berth.events.CommandData;
import io.berth.events.Contract;
import io.berth.events.EventCodec;
import io.berth.events.EventData;
import io.berth.events.RejectedEventException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Publishes one command the way upstream systems do, after validating it with the same codec the worker uses, and
 * optionally prints the lifecycle events it caused.
 */
@Command(name = "publish", mixinStandardHelpOptions = true, version = "berth 0.1.0", description = "Validate and publish a command, e.g. "
    + "'berth publish TranscoderRequested tenantId=acme transcoderId=tx-1 roomId=room-1 --await 1'.")
public final class PublishCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Command type, e.g. TranscoderRequested")
  String type;

  @Parameters(index = "1..*", arity = "0..*", description = "data fields as key=value (strings)")
  List<String> fields = List.of();

  @Option(names = "--data", description = "data as a JSON object (instead of key=value fields)")
  String dataJson;

  @Option(names = "--amqp-uri", defaultValue = "${env:BERTH_AMQP_URI:-amqp://guest:guest@localhost:5672/%2F}",
      description = "broker URI (default: $BERTH_AMQP_URI or local guest)")
  String amqpUri;

  @Option(names = "--amqp-addresses", defaultValue = "${env:BERTH_AMQP_ADDRESSES:-}",
      description = "host[:port],... of a broker cluster's nodes (default: $BERTH_AMQP_ADDRESSES; none: the URI's host)")
  String amqpAddresses;

  @Option(names = "--await", defaultValue = "0", description = "wait for this many lifecycle events caused by it")
  int awaitEvents;

  @Option(names = "--timeout", defaultValue = "60", description = "seconds to wait for --await")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    EventCodec codec = new EventCodec();
    ObjectMapper json = codec.objectMapper();
    ObjectNode data = dataJson != null ? (ObjectNode) json.readTree(dataJson) : json.createObjectNode();
    for (String field : fields) {
      int eq = field.indexOf('=');
      if (eq <= 0) {
        System.err.println("berth: expected key=value, got '" + field + "'");
        return 2;
      }
      data.put(field.substring(0, eq), field.substring(eq + 1));
    }
    ObjectNode envelope = json.createObjectNode()
        .put("specversion", Contract.SPEC_VERSION)
        .put("id", UUID.randomUUID().toString())
        .put("source", "urn:berth:cli")
        .put("type", type)
        .put("time", Instant.now().toString())
        .put("datacontenttype", Contract.DATA_CONTENT_TYPE);
    envelope.set("data", data);
    byte[] body = json.writeValueAsBytes(envelope);
    CloudEvent<CommandData> command;
    try {
      command = codec.decodeCommand(body);
    } catch (RejectedEventException e) {
      System.err.println("berth: not a valid command (" + e.code().code() + "): " + e.getMessage());
      return 2;
    }

    io.berth.worker.messaging.BrokerEndpoint broker;
    ConnectionFactory factory;
    try {
      broker = new io.berth.worker.messaging.BrokerEndpoint(io.berth.worker.config.Secret.of(amqpUri),
          io.berth.worker.messaging.BrokerEndpoint.parseNodes(amqpAddresses));
    } catch (IllegalArgumentException e) {
      System.err.println("berth: --amqp-addresses: " + e.getMessage());
      return 2;
    }
    try {
      factory = broker.factory();
    } catch (Exception e) {
      System.err.println("berth: --amqp-uri is not a valid amqp:// URI"); // never echo it: it may hold a password
      return 2;
    }
    try (Connection connection = broker.connect(factory, "berth-cli");
         Channel channel = connection.createChannel()) {
      BlockingQueue<CloudEvent<EventData>> caused = new LinkedBlockingQueue<>();
      if (awaitEvents > 0) {
        String queue = channel.queueDeclare("", false, true, true, null).getQueue();
        channel.queueBind(queue, Contract.LIFECYCLE_EXCHANGE, "#");
        channel.basicConsume(queue, true, (tag, delivery) -> {
          try {
            CloudEvent<EventData> event = codec.decode(delivery.getBody());
            if (command.id().equals(event.causationid())) {
              caused.add(event);
            }
          } catch (RejectedEventException ignored) {
            // not ours to judge here
          }
        }, tag -> { });
      }
      java.util.concurrent.atomic.AtomicBoolean returned = new java.util.concurrent.atomic.AtomicBoolean();
      channel.addReturnListener(r -> returned.set(true));
      channel.confirmSelect();
      channel.basicPublish(Contract.COMMANDS_EXCHANGE, command.type(), true,
          new AMQP.BasicProperties.Builder().contentType(Contract.CONTENT_TYPE).deliveryMode(2)
              .messageId(command.id()).build(), body);
      channel.waitForConfirmsOrDie(10_000);
      if (returned.get()) {
        System.err.println("berth: unroutable: no queue is bound for " + command.type() + " (has any worker started?)");
        return 1;
      }
      System.out.println("published " + command.type() + " id=" + command.id());
      for (int i = 0; i < awaitEvents; i++) {
        CloudEvent<EventData> event = caused.poll(timeoutSeconds, TimeUnit.SECONDS);
        if (event == null) {
          System.err.println("berth: no further lifecycle event within " + timeoutSeconds + "s");
          return 1;
        }
        System.out.println(new String(codec.encode(event), StandardCharsets.UTF_8));
      }
    }
    return 0;
  }
}
