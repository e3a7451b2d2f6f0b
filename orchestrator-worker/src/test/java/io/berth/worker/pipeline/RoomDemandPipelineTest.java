package io.berth.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import io.berth.events.CloudEvent;
import io.berth.events.Contract;
import io.berth.events.EventCodec;
import io.berth.events.Resources;
import io.berth.events.RoomClosed;
import io.berth.events.RoomDemandChanged;
import io.berth.events.testing.Examples;
import io.berth.worker.config.DockerRetryConfig;
import io.berth.worker.config.EnvConfigLoader;
import io.berth.worker.coordination.Demand;
import io.berth.worker.coordination.LocalCoordination;
import io.berth.worker.docker.DockerGateway;
import io.berth.worker.failure.DockerAvailability;
import io.berth.worker.failure.FailureClassifier;
import io.berth.worker.failure.TransientRetrier;
import io.berth.worker.messaging.Disposition;
import io.berth.worker.messaging.InboundMessage;
import io.berth.worker.provisioning.CommandReconciler;
import io.berth.worker.provisioning.KeyedExecutor;
import io.berth.worker.provisioning.RequestPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code RoomDemandChanged} through the whole pipeline: decoded, checked like a request, recorded with the desired
 * state, acked. No Docker and no broker are needed: recording is its whole effect for now, and it publishes nothing
 * (the publisher is absent, so any publish would fail the test).
 */
class RoomDemandPipelineTest {
  private static final Instant T0 = Instant.parse("2026-11-24T15:45:00Z");
  private static final String HOST_QUEUE = Contract.hostQueue("host-a");

  @TempDir
  Path stateDir;
  private final EventCodec codec = new EventCodec();
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private LocalCoordination coordination;
  private CommandPipeline pipeline;

  @BeforeEach
  void start() {
    coordination = LocalCoordination.open(stateDir, "host-a", Clock.systemUTC(), Duration.ofHours(1));
    DockerAvailability availability = new DockerAvailability(CircuitBreaker.ofDefaults("test"),
        (DockerGateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DockerGateway.class},
            (proxy, method, args) -> null),
        Duration.ofSeconds(1), Executors.newSingleThreadScheduledExecutor(), () -> { }, () -> { });
    TransientRetrier retrier = new TransientRetrier(new FailureClassifier(), availability,
        new DockerRetryConfig(1, Duration.ofMillis(1), Duration.ofMillis(2)), 3, () -> false, new SimpleMeterRegistry());
    // Docker operations and specs are absent: a demand must not reach them.
    CommandReconciler reconciler = new CommandReconciler(null, null, coordination, new KeyedExecutor(pool),
        new KeyedExecutor(pool), pool, retrier, new FailureClassifier(), pool);
    pipeline = new CommandPipeline(codec, new RequestPolicy(config()), reconciler, null, new FailureClassifier(),
        "host-a", "urn:berth:worker:host-a", Clock.systemUTC(), Runnable::run, null, new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
    coordination.close();
  }

  private static io.berth.worker.config.WorkerConfig config() {
    Map<String, String> env = new HashMap<>();
    env.put("BERTH_HOST_ID", "host-a");
    env.put("BERTH_NETWORK_DRIVER", "macvlan");
    env.put("BERTH_NETWORK_PARENT", "eth9");
    env.put("BERTH_NETWORK_SUBNET", "192.0.2.0/24");
    env.put("BERTH_NETWORK_GATEWAY", "192.0.2.1");
    env.put("BERTH_NETWORK_IP_RANGE", "192.0.2.64/26");
    env.put("BERTH_ALLOWED_IMAGES", EnvConfigLoader.DEFAULT_IMAGE + ",registry.example.com/wcs:5.2");
    return new EnvConfigLoader(env, name -> name.equals("eth9")).load();
  }

  private static CloudEvent<RoomDemandChanged> demand(String id, Instant at, RoomDemandChanged data) {
    return CloudEvent.command(id, Examples.SOURCE, at, data);
  }

  private Disposition handle(CloudEvent<?> command) throws Exception {
    AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType(Contract.CONTENT_TYPE).build();
    return pipeline.handle(new InboundMessage(HOST_QUEUE, command.type(), 1, false, properties, codec.encode(command)))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aDemandIsRecordedWithItsSpecAndAcked() throws Exception {
    RoomDemandChanged data = new RoomDemandChanged("acme", "room-42", 4, "registry.example.com/wcs:5.2",
        new Resources(2, 2048));

    assertThat(handle(demand("d-1", T0, data))).isEqualTo(Disposition.ack());

    assertThat(coordination.demand("acme", "room-42")).contains(
        new Demand(4, "registry.example.com/wcs:5.2", new Resources(2, 2048), T0, "d-1", "RoomDemandChanged"));
  }

  @Test
  void anOlderDemandArrivingLaterIsAckedAndChangesNothing() throws Exception {
    handle(demand("d-new", T0, new RoomDemandChanged("acme", "room-42", 5, null, null)));

    assertThat(handle(demand("d-old", T0.minusSeconds(30), new RoomDemandChanged("acme", "room-42", 1, null, null))))
        .isEqualTo(Disposition.ack());

    assertThat(coordination.demand("acme", "room-42")).get().extracting(Demand::commandId).isEqualTo("d-new");
  }

  @Test
  void aDemandThisHostWouldNotStartIsDeadLetteredAndNotRecorded() throws Exception {
    Disposition image = handle(demand(UUID.randomUUID().toString(), T0,
        new RoomDemandChanged("acme", "room-42", 2, "evil.example.com/miner:1", null)));
    Disposition resources = handle(demand(UUID.randomUUID().toString(), T0,
        new RoomDemandChanged("acme", "room-42", 2, null, new Resources(32, 1024))));

    assertThat(image).isInstanceOfSatisfying(Disposition.DeadLetter.class,
        d -> assertThat(d.code()).isEqualTo("image-not-allowed"));
    assertThat(resources).isInstanceOfSatisfying(Disposition.DeadLetter.class,
        d -> assertThat(d.code()).isEqualTo("resources-not-allowed"));
    assertThat(coordination.demand("acme", "room-42")).isEmpty();
  }

  @Test
  void aDemandOlderThanTheRoomsCloseIsAckedAndIgnored() throws Exception {
    handle(demand("d-1", T0, new RoomDemandChanged("acme", "room-42", 3, null, null)));
    CloudEvent<RoomClosed> close = CloudEvent.command("close-1", Examples.SOURCE, T0.plusSeconds(1),
        new RoomClosed("acme", "room-42"));
    // The close fans out to the transcoders this host holds; with none to ask Docker about, only its intents count.
    coordination.roomClosed("acme", "room-42",
        new io.berth.worker.coordination.Cancellation(close.id(), close.type(), close.time()));

    assertThat(handle(demand("d-late", T0, new RoomDemandChanged("acme", "room-42", 6, null, null))))
        .isEqualTo(Disposition.ack());
    assertThat(coordination.demand("acme", "room-42")).get().extracting(Demand::transcoders).isEqualTo(0);
  }
}
