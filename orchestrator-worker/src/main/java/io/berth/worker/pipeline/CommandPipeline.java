package io.berth.worker.pipeline;

import io.berth.events.CloudEvent;
import io.berth.events.CommandData;
import io.berth.events.CommandRejected;
import io.berth.events.Contract;
import io.berth.events.EventCodec;
import io.berth.events.EventType;
import io.berth.events.LifecycleData;
import io.berth.events.ProvisioningFailed;
import io.berth.events.RejectedEventException;
import io.berth.events.RejectionCode;
import io.berth.events.RoomDemandChanged;
import io.berth.events.TranscoderReleased;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderRestartRequested;
import io.berth.worker.failure.Failure;
import io.berth.worker.failure.FailureClassifier;
import io.berth.worker.failure.ShuttingDownException;
import io.berth.worker.messaging.Disposition;
import io.berth.worker.messaging.InboundMessage;
import io.berth.worker.messaging.LifecyclePublisher;
import io.berth.worker.messaging.MessageHandler;
import io.berth.worker.messaging.PublishFailedException;
import io.berth.worker.messaging.PublishRetry;
import io.berth.worker.metrics.CommandMetrics;
import io.berth.worker.provisioning.CommandReconciler;
import io.berth.worker.provisioning.HostFitness;
import io.berth.worker.provisioning.CommandRef;
import io.berth.worker.provisioning.NoCapacityException;
import io.berth.worker.provisioning.RequestPolicy;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One way through for every command: decode → policy → reconcile against Docker → publish lifecycle events (confirmed)
 * → disposition. Rejections (including commands that came the wrong way: content type, routing key, unroutable) and
 * permanent failures are explained by an event and dead-lettered; transient trouble is held and retried in process
 * (Docker by the retrier, publishes by {@link PublishRetry}) so it never spends a delivery.
 */
public final class CommandPipeline implements MessageHandler {
  private static final Logger log = LoggerFactory.getLogger(CommandPipeline.class);
  /** Every host queue's name starts so ({@link Contract#hostQueue}); broadcast commands are served only from one. */
  private static final String HOST_QUEUE_PREFIX =
      Contract.hostQueue("x").substring(0, Contract.hostQueue("x").length() - 1);

  private final CommandMetrics metrics;
  private final EventCodec codec;
  private final RequestPolicy policy;
  private final CommandReconciler reconciler;
  private final LifecyclePublisher publisher;
  private final FailureClassifier classifier;
  private final String hostId;
  private final String source;
  private final Clock clock;
  private final Executor control;
  private final PublishRetry retry;
  private final HostFitness fitness;

  /**
   * @param control runs rejections and policy failures (their confirms block), off the broker's delivery thread
   * @param registry where commands, dead-letters and provisioning latency are counted
   */
  public CommandPipeline(EventCodec codec, RequestPolicy policy, CommandReconciler reconciler,
      LifecyclePublisher publisher, FailureClassifier classifier, String hostId, String source, Clock clock,
      Executor control, HostFitness fitness, io.micrometer.core.instrument.MeterRegistry registry) {
    this(codec, policy, reconciler, publisher, classifier, hostId, source, clock, control, PublishRetry.standard(),
        fitness, registry);
  }

  public CommandPipeline(EventCodec codec, RequestPolicy policy, CommandReconciler reconciler,
      LifecyclePublisher publisher, FailureClassifier classifier, String hostId, String source, Clock clock,
      Executor control, PublishRetry retry, HostFitness fitness, io.micrometer.core.instrument.MeterRegistry registry) {
    this.metrics = new CommandMetrics(registry);
    this.retry = retry;
    this.fitness = fitness;
    this.codec = codec;
    this.policy = policy;
    this.reconciler = reconciler;
    this.publisher = publisher;
    this.classifier = classifier;
    this.hostId = hostId;
    this.source = source;
    this.clock = clock;
    this.control = control;
  }

  /** Every delivery's end is counted by type and outcome, whichever way through it took. */
  @Override
  public CompletionStage<Disposition> handle(InboundMessage message) {
    CompletionStage<Disposition> disposition;
    try {
      disposition = decide(message);
    } catch (RuntimeException e) {
      metrics.failed(message.routingKey());
      throw e;
    }
    return disposition.whenComplete((done, error) -> {
      if (error != null) {
        metrics.failed(message.routingKey());
      } else {
        metrics.settled(message.routingKey(), done);
      }
    });
  }

  private CompletionStage<Disposition> decide(InboundMessage message) {
    CloudEvent<CommandData> command;
    try {
      command = codec.decodeCommand(message.body());
    } catch (RejectedEventException e) {
      Optional<RejectedEventException> wrongType = wrongContentType(message, null);
      return CompletableFuture.supplyAsync(() -> reject(message, wrongType.orElse(e)), control);
    }
    Optional<RejectedEventException> wrongType = wrongContentType(message, command);
    if (wrongType.isPresent()) {
      return CompletableFuture.supplyAsync(() -> reject(message, wrongType.get()), control);
    }
    Optional<RejectedEventException> misrouted = misrouted(message, command);
    if (misrouted.isPresent()) {
      return CompletableFuture.supplyAsync(() -> reject(message, misrouted.get()), control);
    }
    CommandRef ref = new CommandRef(command.id(), command.type(), command.time());
    CommandData data = command.data();
    log.info("command received: eventId={} type={} tenantId={} queue={} redelivered={}",
        ref.id(), ref.type(), data.tenantId(), message.queue(), message.redelivered());
    try {
      if (data instanceof TranscoderRequested request) {
        policy.check(request);
      } else if (data instanceof RoomDemandChanged demand) {
        policy.check(demand); // refused here, it is not recorded: this host would not start what it asks for
      }
    } catch (RuntimeException violation) {
      return CompletableFuture.supplyAsync(() -> fail(message, ref, data, violation), control);
    }
    return reconciler.reconcile(ref, data, events -> publishAll(ref, events))
        .thenApply(events -> {
          log.info("command done: eventId={} type={} events={}", ref.id(), ref.type(),
              events.stream().map(e -> e.getClass().getSimpleName()).toList());
          return Disposition.ack();
        })
        .exceptionally(error -> fail(message, ref, data, unwrap(error)));
  }

  /**
   * The contract's AMQP content type is {@code application/cloudevents+json} (structured mode); plain
   * {@code application/json}, the CloudEvents {@code datacontenttype}, is accepted too. Anything else, or none, is
   * somebody else's message on our exchange and is not served even if its body happens to decode.
   */
  private static Optional<RejectedEventException> wrongContentType(InboundMessage message,
      CloudEvent<CommandData> commandOrNull) {
    String contentType = message.properties() == null ? null : message.properties().getContentType();
    String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (mediaType.equals(Contract.CONTENT_TYPE) || mediaType.equals(Contract.DATA_CONTENT_TYPE)) {
      return Optional.empty();
    }
    return Optional.of(new RejectedEventException(RejectionCode.UNSUPPORTED_CONTENT_TYPE, "AMQP content_type "
        + (contentType == null ? "is missing" : quote(contentType) + " is not supported") + "; publish with "
        + Contract.CONTENT_TYPE + " (or " + Contract.DATA_CONTENT_TYPE + ")",
        commandOrNull == null ? null : commandOrNull.id(), commandOrNull == null ? null : commandOrNull.type()));
  }

  /**
   * A command is served only from the queue its type is bound to, and only when it was published with routing key =
   * type: a request sent as {@code RoomClosed} reached every host queue and must not be provisioned by each of them.
   */
  private static Optional<RejectedEventException> misrouted(InboundMessage message, CloudEvent<CommandData> command) {
    String routingKey = String.valueOf(message.routingKey());
    if (Contract.UNROUTABLE_QUEUE.equals(message.queue())) {
      return Optional.of(new RejectedEventException(RejectionCode.UNROUTABLE, "routing key " + quote(routingKey)
          + ": no queue is bound to " + Contract.COMMANDS_EXCHANGE + " for it; publish each command with routing key"
          + " = its type (" + command.type() + ")", command.id(), command.type()));
    }
    if (!routingKey.equals(command.type())) {
      return Optional.of(new RejectedEventException(RejectionCode.WRONG_ROUTING_KEY, "routing key " + quote(routingKey)
          + " does not match type " + command.type() + "; publish each command with routing key = its type",
          command.id(), command.type()));
    }
    boolean request = EventType.TRANSCODER_REQUESTED.typeName().equals(command.type());
    boolean takenHere = request ? Contract.REQUESTS_QUEUE.equals(message.queue())
        : message.queue().startsWith(HOST_QUEUE_PREFIX);
    if (!takenHere) {
      return Optional.of(new RejectedEventException(RejectionCode.WRONG_ROUTING_KEY, command.type()
          + " arrived on queue " + message.queue() + ", which does not take it (a binding someone added?)",
          command.id(), command.type()));
    }
    return Optional.empty();
  }

  /** Routing keys are the publisher's bytes: clipped and with anything unprintable escaped before they are echoed. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder("'");
    value.codePoints().limit(80).forEach(c -> {
      if (c < 0x20 || c == 0x7f || Character.getType(c) == Character.FORMAT || c == '\'' || c == '\\') {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.append(value.codePointCount(0, value.length()) > 80 ? "...'" : "'").toString();
  }

  private void publishAll(CommandRef ref, List<LifecycleData> events) {
    for (LifecycleData event : events) {
      publish(CloudEvent.lifecycle(source, ref.id(), clock.instant(), event));
      metrics.reported(ref.type(), ref.time(), event, clock.instant()); // confirmed by now
    }
  }

  /**
   * Publishes and waits for the confirm, holding the command through broker trouble (see {@link PublishRetry}): the
   * same event is published again, with the same id, so consumers of lifecycle events deduplicate by id.
   */
  private void publish(CloudEvent<? extends LifecycleData> event) {
    retry.run(event.type() + " " + event.id(), () -> publisher.publish(event));
  }

  /**
   * Transient trouble was already retried in process (Docker by the retrier, publishes by {@link PublishRetry});
   * what reaches here is either permanent, or shutdown / no capacity, which are not the command's fault.
   */
  private Disposition fail(InboundMessage message, CommandRef ref, CommandData data, Throwable error) {
    if (shuttingDown(error)) {
      return new Disposition.Abandon(String.valueOf(error.getMessage()));
    }
    if (error instanceof NoCapacityException) {
      return new Disposition.GiveBack(error.getMessage());
    }
    Failure failure = classifier.classify(error);
    if (data instanceof TranscoderRequested && HostFitness.HOST_LOCAL.contains(failure.code())
        && fitness.givesBack(deliveriesSoFar(message))) {
      // This host's trouble, not the request's: give it to another host (this one stops taking requests while
      // the check finds it unfit). Only its last delivery fails, explained, so nothing is dead-lettered unsaid.
      fitness.hostLocalFailure(failure);
      log.warn("request given back, this host cannot serve it: eventId={} code={} message={}", ref.id(),
          failure.code(), failure.message());
      return new Disposition.GiveBack(failure.code() + ": " + failure.message());
    }
    if (failure.isTransient()) {
      log.warn("command held too long, requeueing: eventId={} type={} code={} message={}", ref.id(), ref.type(),
          failure.code(), failure.message());
      return new Disposition.Requeue(failure.message());
    }
    log.warn("command failed: eventId={} type={} code={} message={}", ref.id(), ref.type(), failure.code(), failure.message());
    try {
      transcoderIdOf(data).ifPresent(transcoderId -> publish(CloudEvent.lifecycle(source, ref.id(),
          clock.instant(), new ProvisioningFailed(data.tenantId(), transcoderId, hostId, failure.code(),
              failure.message(), failure.retriable()))));
    } catch (PublishFailedException e) {
      return shuttingDown(e) ? new Disposition.Abandon(e.getMessage())
          : new Disposition.Requeue("could not publish ProvisioningFailed: " + e.getMessage());
    }
    return new Disposition.DeadLetter(failure.code(), failure.message());
  }

  /** Quorum queues count returned deliveries in {@code x-delivery-count}; absent on the first delivery. */
  private static long deliveriesSoFar(InboundMessage message) {
    Object count = message.properties() == null || message.properties().getHeaders() == null ? null
        : message.properties().getHeaders().get("x-delivery-count");
    return count instanceof Number n ? n.longValue() : 0;
  }

  private Disposition reject(InboundMessage message, RejectedEventException e) {
    log.warn("command rejected: eventId={} type={} code={} message={}", e.eventId(), e.eventType(), e.code().code(),
        e.getMessage());
    try {
      publish(CloudEvent.lifecycle(source, e.eventId(), clock.instant(),
          new CommandRejected(e.eventId(), e.eventType(), e.code().code(), e.getMessage())));
    } catch (PublishFailedException publishFailure) {
      return shuttingDown(publishFailure) ? new Disposition.Abandon(publishFailure.getMessage())
          : new Disposition.Requeue("could not publish CommandRejected: " + publishFailure.getMessage());
    }
    return new Disposition.DeadLetter(e.code().code(), e.getMessage());
  }

  private static boolean shuttingDown(Throwable error) {
    return error instanceof ShuttingDownException || error.getCause() instanceof InterruptedException;
  }

  private static java.util.Optional<String> transcoderIdOf(CommandData data) {
    if (data instanceof TranscoderRequested r) {
      return java.util.Optional.of(r.transcoderId());
    }
    if (data instanceof TranscoderReleased r) {
      return java.util.Optional.of(r.transcoderId());
    }
    if (data instanceof TranscoderRestartRequested r) {
      return java.util.Optional.of(r.transcoderId());
    }
    return java.util.Optional.empty();
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
