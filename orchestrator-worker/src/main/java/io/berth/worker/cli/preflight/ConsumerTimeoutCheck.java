package io.berth.worker.cli.preflight;

import io.berth.worker.cli.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RabbitMQ's {@code consumer_timeout} is longer than the longest time the worker holds a delivery
 * ({@link HoldBudget}). AMQP does not expose the setting; {@code rabbitmqctl environment} does, but only on the
 * broker's own machine. So it is read when the broker is on this host (a loopback URI) and {@code rabbitmqctl} runs;
 * anywhere else the check says what to compare by hand, with the minimum, as a warning.
 */
final class ConsumerTimeoutCheck implements Check {
  private static final Pattern SETTING = Pattern.compile("\\{consumer_timeout,\\s*([A-Za-z0-9_]+)\\s*}");

  @Override
  public String name() {
    return "consumer-timeout";
  }

  @Override
  public List<CheckResult> run(PreflightContext context) {
    if (context.config().isEmpty()) {
      return List.of(CheckResult.skip(name(), "the longest hold depends on the configuration (see config)"));
    }
    HoldBudget budget = HoldBudget.of(context.config().get());
    String minimum = "above " + budget.total().toMillis() + " ms (" + Durations.human(budget.total()) + ")";
    String byHand = "on the broker's host: rabbitmqctl environment | grep consumer_timeout (rabbitmq.conf:"
        + " consumer_timeout, in ms; 1800000 = 30 min by default) must be " + minimum;
    if (!loopback(context.env().broker())) {
      return List.of(CheckResult.warn(name(), "cannot read the broker's consumer_timeout from here (the broker is"
          + " on another host); the worker may hold a delivery for up to " + budget.explain(), byHand));
    }
    CommandRunner.Result r = context.probes().commands().run(List.of("rabbitmqctl", "-q", "environment"),
        Duration.ofSeconds(20));
    Optional<Optional<Duration>> setting = r.ok() ? parse(r.output()) : Optional.empty();
    if (setting.isEmpty()) {
      return List.of(CheckResult.warn(name(), "cannot read consumer_timeout with rabbitmqctl on this host ("
          + (r.ok() ? "not in its environment" : firstLine(r.output())) + "); the worker may hold a delivery for up"
          + " to " + budget.explain(), byHand));
    }
    if (setting.get().isEmpty()) {
      return List.of(CheckResult.ok(name(), "consumer_timeout is off on this host's broker: no limit (the worker"
          + " holds a delivery for up to " + budget.explain() + ")"));
    }
    Duration timeout = setting.get().get();
    if (timeout.compareTo(budget.total()) > 0) {
      return List.of(CheckResult.ok(name(), "consumer_timeout " + Durations.human(timeout) + " (rabbitmqctl on this"
          + " host) is longer than the longest hold, " + budget.explain()));
    }
    return List.of(CheckResult.fail(name(), "consumer_timeout " + Durations.human(timeout) + " (rabbitmqctl on this"
        + " host) is not longer than the longest hold, " + budget.explain() + ": the broker would take the channel"
        + " from a command still in progress, and its redelivery spend one of its deliveries",
        "set consumer_timeout " + minimum + " in rabbitmq.conf and restart the broker (rabbitmqctl eval"
            + " 'application:set_env(rabbit, consumer_timeout, " + (budget.total().toMillis() + 60_000)
            + ").' applies it until then)"));
  }

  /**
   * The setting in {@code rabbitmqctl environment}'s output: empty when absent; a present but empty Optional when it is
   * off ({@code false}, {@code infinity}, {@code undefined}).
   */
  static Optional<Optional<Duration>> parse(String environment) {
    Matcher m = SETTING.matcher(environment);
    if (!m.find()) {
      return Optional.empty();
    }
    String value = m.group(1);
    return Optional.of(value.chars().allMatch(Character::isDigit)
        ? Optional.of(Duration.ofMillis(Long.parseLong(value))) : Optional.empty());
  }

  /** Only a broker on this machine is the one {@code rabbitmqctl} talks to by default. */
  static boolean loopback(io.berth.worker.messaging.BrokerEndpoint broker) {
    if (!broker.nodes().isEmpty()) {
      return broker.nodes().stream().map(n -> n.replaceFirst(":\\d+$", "")).allMatch(ConsumerTimeoutCheck::loopbackHost);
    }
    try {
      return loopbackHost(new URI(broker.uri().reveal()).getHost());
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static boolean loopbackHost(String host) {
    return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
        || host.equals("::1"));
  }

  private static String firstLine(String text) {
    String line = text.lines().findFirst().orElse("no output").trim();
    return line.length() > 160 ? line.substring(0, 160) + "..." : line;
  }
}
