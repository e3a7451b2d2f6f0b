package io.berth.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.CloudEvent;
import io.berth.events.EventCodec;
import io.berth.events.EventData;
import io.berth.events.RejectedEventException;
import io.berth.worker.cli.events.AmqpEventFeed;
import io.berth.worker.cli.events.EventFeed;
import io.berth.worker.cli.events.EventFilter;
import io.berth.worker.cli.events.EventLine;
import io.berth.worker.config.EnvConfigLoader;
import io.berth.worker.config.EnvNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Follows lifecycle events as they happen, one line each. Subscribes through a queue of its own that goes away with
 * it, so following never holds anything back from other consumers and leaves nothing behind.
 */
@Command(name = "events", mixinStandardHelpOptions = true, version = "berth 0.1.0",
    description = "Follow lifecycle events (berth.lifecycle) as readable lines until Ctrl-C; heartbeats only when"
        + " named with --type WorkerHeartbeat.")
public final class EventsCommand implements Callable<Integer> {
  static final int FAILED = 1;
  static final int USAGE = 2;

  @Option(names = "--tenant", description = "only this tenant's events")
  String tenant;

  @Option(names = "--type", description = "only this type, e.g. TranscoderStarted (repeatable)")
  List<String> types = new ArrayList<>();

  @Option(names = "--json", description = "print each event's CloudEvent JSON, one per line")
  boolean json;

  @Option(names = "--limit", description = "stop after this many events (default: follow until Ctrl-C)")
  int limit;

  @Option(names = "--amqp-uri", description = "broker URI (default: $BERTH_AMQP_URI, else local guest)")
  String amqpUri;

  @Spec
  CommandSpec spec;

  private final Map<String, String> env;
  private final Function<io.berth.worker.messaging.BrokerEndpoint, EventFeed> feeds;

  public EventsCommand() {
    this(System.getenv(), AmqpEventFeed::new);
  }

  /** For tests and embedding: another environment, another source of events. */
  public EventsCommand(Map<String, String> env, Function<io.berth.worker.messaging.BrokerEndpoint, EventFeed> feeds) {
    this.env = env;
    this.feeds = feeds;
  }

  @Override
  public Integer call() throws InterruptedException {
    try (CliLogging quiet = CliLogging.quiet()) {
      return follow();
    }
  }

  private Integer follow() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    EventFilter filter;
    try {
      filter = EventFilter.of(tenant, types);
    } catch (IllegalArgumentException e) {
      err.println("berth: " + e.getMessage());
      err.flush();
      return USAGE;
    }
    String uri = amqpUri != null ? amqpUri : java.util.Optional.ofNullable(env.get(EnvNames.AMQP_URI))
        .map(String::trim).filter(v -> !v.isEmpty()).orElse(EnvConfigLoader.DEFAULT_AMQP_URI);
    io.berth.worker.messaging.BrokerEndpoint broker;
    try {
      broker = new io.berth.worker.messaging.BrokerEndpoint(io.berth.worker.config.Secret.of(uri),
          io.berth.worker.messaging.BrokerEndpoint.parseNodes(env.get(EnvNames.AMQP_ADDRESSES)));
    } catch (IllegalArgumentException e) {
      err.println("berth: " + EnvNames.AMQP_ADDRESSES + ": " + e.getMessage());
      err.flush();
      return USAGE;
    }
    EventCodec codec = new EventCodec();
    ObjectMapper raw = new ObjectMapper();
    CountDownLatch finished = new CountDownLatch(1);
    AtomicInteger printed = new AtomicInteger();
    AtomicReference<String> failure = new AtomicReference<>();
    EventFeed.Listener listener = EventFeed.listener(body -> {
      CloudEvent<EventData> event;
      try {
        event = codec.decode(body);
      } catch (RejectedEventException e) {
        say(err, "skipped a message that is not a valid Berth event (" + e.code().code() + "): " + e.getMessage());
        return;
      }
      if (!filter.accepts(event)) {
        return;
      }
      synchronized (out) {
        if (limit > 0 && printed.get() >= limit) {
          return;
        }
        out.println(json ? compact(raw, body) : EventLine.format(event));
        out.flush();
        if (limit > 0 && printed.incrementAndGet() >= limit) {
          finished.countDown();
        }
      }
    }, notice -> say(err, notice), reason -> {
      failure.set(reason);
      finished.countDown();
    });

    AutoCloseable subscription;
    try {
      subscription = feeds.apply(broker).follow(filter.routingKeys(), listener);
    } catch (Exception e) {
      say(err, "cannot follow events at " + broker.describe() + ": " + e.getMessage());
      return FAILED;
    }
    say(err, "following " + String.join(", ", filter.routingKeys()) + filter.tenant().map(t -> " of tenant " + t)
        .orElse("") + " at " + broker.describe() + (limit > 0 ? "" : "; Ctrl-C ends"));
    // Ctrl-C: the JVM runs this hook; closing the connection deletes the queue on the broker at once
    Thread onInterrupt = new Thread(() -> {
      closeQuietly(subscription);
      finished.countDown();
    }, "berth-events-stop");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      finished.await();
    } finally {
      closeQuietly(subscription);
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs, or has run
      }
    }
    if (failure.get() != null) {
      say(err, failure.get());
      return FAILED;
    }
    return 0;
  }

  /** The event as it was published, on one line (workers publish compact JSON; others may not). */
  private static String compact(ObjectMapper raw, byte[] body) {
    try {
      return raw.readTree(body).toString();
    } catch (IOException e) {
      throw new IllegalStateException("decoded a moment ago: " + e.getMessage(), e);
    }
  }

  private static void say(PrintWriter err, String message) {
    synchronized (err) {
      err.println("berth: " + message);
      err.flush();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // ending anyway
    }
  }
}
