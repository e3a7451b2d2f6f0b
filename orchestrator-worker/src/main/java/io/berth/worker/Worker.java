package io.berth.worker;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.berth.events.Contract;
import io.berth.events.EventCodec;
import io.berth.worker.config.WorkerConfig;
import io.berth.worker.coordination.Coordination;
import io.berth.worker.coordination.EtcdCoordination;
import io.berth.worker.coordination.FleetNetwork;
import io.berth.worker.coordination.LocalCoordination;
import io.berth.worker.docker.CachingDockerGateway;
import io.berth.worker.hostnet.HostShim;
import io.berth.worker.demand.DemandConverger;
import io.berth.worker.demand.FleetDemandPlacements;
import io.berth.worker.demand.LocalDemandPlacements;
import io.berth.worker.docker.DockerGateway;
import io.berth.worker.docker.DockerJavaGateway;
import io.berth.worker.docker.DockerUnavailableException;
import io.berth.worker.docker.MeteredDockerGateway;
import io.berth.worker.docker.ResilientDockerGateway;
import io.berth.worker.failure.DockerAvailability;
import io.berth.worker.failure.FailureClassifier;
import io.berth.worker.failure.TransientRetrier;
import io.berth.worker.coordination.EtcdFleetReader;
import io.berth.worker.coordination.FleetReader;
import io.berth.worker.docker.DockerJavaInventory;
import io.berth.worker.http.LiveTranscoderViews;
import io.berth.worker.http.ObservabilityServer;
import io.berth.worker.http.TranscoderViewAssembler;
import io.berth.worker.http.WorkerReadiness;
import io.berth.worker.ipam.AddressAllocator;
import io.berth.worker.messaging.BrokerEndpoint;
import io.berth.worker.messaging.CommandConsumer;
import io.berth.worker.messaging.ConfirmingPublisher;
import io.berth.worker.messaging.DeadLetterPublisher;
import io.berth.worker.messaging.FleetPulse;
import io.berth.worker.messaging.IntakeController;
import io.berth.worker.messaging.LifecyclePublisher;
import io.berth.worker.messaging.Topology;
import io.berth.worker.metrics.JvmMeters;
import io.berth.worker.metrics.StateGauges;
import io.berth.worker.pipeline.CommandPipeline;
import io.berth.worker.provisioning.AddressAssigner;
import io.berth.worker.provisioning.AddressProbe;
import io.berth.worker.provisioning.CapacityGate;
import io.berth.worker.provisioning.CommandReconciler;
import io.berth.worker.provisioning.HostFitness;
import io.berth.worker.provisioning.ContainerLauncher;
import io.berth.worker.provisioning.ContainerSpecFactory;
import io.berth.worker.provisioning.KeyedExecutor;
import io.berth.worker.provisioning.NetworkGuard;
import io.berth.worker.provisioning.ReadinessProbes;
import io.berth.worker.provisioning.ReadinessWaiter;
import io.berth.worker.provisioning.RequestPolicy;
import io.berth.worker.provisioning.Sleeper;
import io.berth.worker.provisioning.TranscoderOperations;
import io.berth.worker.supervision.CrashTracker;
import io.berth.worker.supervision.EventWatcher;
import io.berth.worker.supervision.Fencing;
import io.berth.worker.supervision.FleetHealer;
import io.berth.worker.supervision.Heartbeat;
import io.berth.worker.supervision.Intents;
import io.berth.worker.supervision.ReconcilePass;
import io.berth.worker.supervision.Supervisor;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the worker from its config, starts consuming, and shuts down cleanly. The only place that wires. */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);
  /** Rounds of transient failure tolerated while Docker still answers pings, before giving up on a command. */
  private static final int MAX_ROUNDS_WHILE_DOCKER_UP = 5;
  /** Long enough for any request overtaken by a release to have been delivered (or dead-lettered) by then. */
  private static final Duration CANCELLATIONS_KEPT = Duration.ofHours(1);
  /** Between two passes of the demand loop when nothing nudges it (a host joining, a demand recorded elsewhere). */
  private static final Duration DEMAND_PASS_EVERY = Duration.ofSeconds(2);

  private final WorkerConfig config;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private DockerJavaGateway rawDocker;
  private Connection connection;
  private ConfirmingPublisher publisher;
  private CommandConsumer requests;
  private CommandConsumer hostCommands;
  private CommandConsumer unroutable;
  private IntakeController intake;
  private ReconcilePass reconcile;
  private Coordination coordination;
  private FleetPulse pulse;
  private Supervisor supervisor;
  private ScheduledExecutorService pulses;
  private DockerAvailability availability;
  private KeyedExecutor transcoderExecutor;
  private KeyedExecutor tenantExecutor;
  private ExecutorService recording;
  private ExecutorService waits;
  /** Intents recorded at once (each waits for the disk or etcd; together they share one sync). */
  private static final int RECORDERS = 32;
  private ExecutorService control;
  private ScheduledExecutorService scheduler;
  private CapacityGate capacity;
  private ScheduledExecutorService supervision;
  private ExecutorService crashes;
  private ExecutorService restarts;
  private Connection publishing;
  private EventWatcher watcher;
  private HostFitness fitness;
  private volatile AddressAssigner addresses;
  private DemandConverger demand;

  private final UnaryOperator<DockerGateway> instrument;
  /** Every meter of this worker (issue 8): passed to what counts, served on BERTH_HTTP_PORT with the health checks. */
  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private JvmMeters jvmMeters;
  private ObservabilityServer http;
  private LiveTranscoderViews pageViews;
  /** Since when this worker's in-memory counts (restarts, crashes) count, as the fleet page says. */
  private final java.time.Instant startedAt = java.time.Instant.now();

  private Worker(WorkerConfig config, UnaryOperator<DockerGateway> instrument) {
    this.config = config;
    this.instrument = instrument;
  }

  public static Worker start(WorkerConfig config) throws Exception {
    return start(config, UnaryOperator.identity());
  }

  /** @param instrument wraps the gateway the worker uses (metrics, tests that record every Docker call) */
  public static Worker start(WorkerConfig config, UnaryOperator<DockerGateway> instrument) throws Exception {
    Worker worker = new Worker(config, instrument);
    try {
      worker.startInternal();
    } catch (Exception e) {
      worker.close();
      throw e;
    }
    return worker;
  }

  private void startInternal() throws Exception {
    Clock clock = Clock.systemUTC();
    if (config.network().hostShim().isPresent()) {
      HostShim.ensure(config.network()); // before any request: readiness over HTTP needs it
    }
    FailureClassifier classifier = new FailureClassifier();
    rawDocker = DockerJavaGateway.connect(config.dockerHost(), config.stopTimeout().plus(Duration.ofSeconds(60)));
    CircuitBreaker breaker = CircuitBreaker.of("docker", CircuitBreakerConfig.custom()
        .slidingWindowSize(10)
        .minimumNumberOfCalls(5)
        .failureRateThreshold(50)
        .waitDurationInOpenState(Duration.ofSeconds(5))
        // Only unreachability opens the breaker (and pauses intake); a Docker that answers 5xx is retried and, if it
        // keeps failing, the command fails as docker-error instead of pausing the host forever.
        .recordException(e -> e instanceof DockerUnavailableException)
        .build());
    // Reads come from the informer's copy, writes go to Docker: duplicates and leases cost no Docker call.
    CachingDockerGateway docker = new CachingDockerGateway(instrument.apply(
        new ResilientDockerGateway(new MeteredDockerGateway(rawDocker, meters), config.dockerRetry(), breaker,
            classifier::isTransient)));

    // A cluster's nodes: amqp-client tries them in turn on connect and on every recovery, so the worker follows the
    // cluster when the node it was on goes away.
    BrokerEndpoint broker = new BrokerEndpoint(config.amqpUri(), config.amqpAddresses());
    ConnectionFactory factory = broker.factory();
    factory.setAutomaticRecoveryEnabled(true);
    factory.setRequestedHeartbeat(30);
    connection = broker.connect(factory, "berth-worker-" + config.hostId());
    Topology.declare(connection, config.hostId(), config.deliveryLimit());
    EventCodec codec = new EventCodec();
    // Publishing on a connection of its own: a broker that blocks publishers must not block consumer control.
    publishing = broker.connect(factory, "berth-worker-" + config.hostId() + "-publish");
    publisher = new ConfirmingPublisher(publishing);
    LifecyclePublisher lifecycle = new LifecyclePublisher(publisher, codec, CONFIRM_TIMEOUT);
    DeadLetterPublisher deadLetters = new DeadLetterPublisher(publisher, config.hostId(), CONFIRM_TIMEOUT);

    scheduler = Executors.newSingleThreadScheduledExecutor(daemon("berth-scheduler"));
    control = Executors.newFixedThreadPool(2, daemon("berth-control"));
    // BERTH_CONCURRENCY bounds creates and starts (ContainerLauncher); the threads also wait for media servers to get
    // ready, which costs the host nothing, so every request in hand (and a few demand placements) gets one.
    transcoderExecutor = new KeyedExecutor(Executors.newFixedThreadPool(config.concurrency() + config.prefetch(),
        daemon("berth-transcoder")));
    tenantExecutor = new KeyedExecutor(Executors.newFixedThreadPool(2, daemon("berth-tenant")));
    // Intents are recorded off the broker's delivery threads, many at once so they share a sync (CommandReconciler);
    // as many as the host queue has in hand (they share one sync), bounded, so an etcd outage has at most this many
    // commands retrying at once (the rest wait without a clock).
    recording = growing("berth-recording", Math.max(RECORDERS, config.hostPrefetch()));
    // Stops wait out the media server's grace in Docker: a thread per transcoder stopping (up to BERTH_MAX_TRANSCODERS),
    // so a room of hung media servers closes in one grace period and starts meanwhile go on. Releases of nothing and
    // restarts run here too, up to the host queue's prefetch more; past the bound (2048), they queue.
    waits = growing("berth-stopping", Math.max(8, Math.min(config.maxTranscoders() + config.hostPrefetch(), 2048)));

    capacity = new CapacityGate(config.maxTranscoders(), free -> syncIntake());
    NetworkGuard network = new NetworkGuard(docker, config.network(), config.extraLabels());
    ContainerSpecFactory specs = new ContainerSpecFactory(config);
    // Fencing calls Docker directly: no retries with backoff, no breaker between a fence and its deadline.
    Fencing fencing = new Fencing(config.hostId(), rawDocker);
    String engineId = rawDocker.engineId();
    coordination = config.coordination().fleet()
        ? EtcdCoordination.join(config.coordination(), FleetNetwork.of(config.network(), config.hostId(),
            clock.instant()), config.hostId(), engineId, clock, CANCELLATIONS_KEPT, fencing)
        : LocalCoordination.open(config.coordination().stateDir(), config.hostId(), clock, CANCELLATIONS_KEPT);
    Duration pulseEvery = coordination instanceof EtcdCoordination
        ? Duration.ofMillis(Math.max(250, config.coordination().failover().toMillis() / 8)) : Duration.ofSeconds(5);
    pulse = new FleetPulse(connection, config.hostId(), engineId, coordination.mode(),
        coordination instanceof EtcdCoordination fleet ? () -> fleet.lease().silenceNanos() / 1_000_000 : () -> -1L,
        pulseEvery);
    if (coordination instanceof EtcdCoordination fleet) {
      fleet.lease().witness(pulse);
      pulse.attach(fleet.lease());
    }
    AddressProbe probe = new AddressProbe(config.readiness().port(), 500);
    CrashTracker tracker = new CrashTracker(config.supervision(), clock, () -> ThreadLocalRandom.current().nextDouble());
    Intents intents = new Intents(clock, tracker, coordination);
    if (coordination instanceof EtcdCoordination fleet) {
      fencing.attach(intents, capacity, fleet);
    }
    AddressAllocator allocator = new AddressAllocator(config.network());
    if (allocator.assignableCount() < config.maxTranscoders()) {
      log.warn("BERTH_NETWORK_IP_RANGE {} has {} assignable addresses, fewer than BERTH_MAX_TRANSCODERS={}: this host"
          + " holds at most {}{}", config.network().ipRange(), allocator.assignableCount(), config.maxTranscoders(),
          allocator.assignableCount(), config.coordination().fleet() ? " (fewer: the fleet shares the range)" : "");
    }
    addresses = new AddressAssigner(docker, allocator, config.network().name(), coordination);
    capacity.onVacated(addresses::forgetLeft); // until the demand loop exists (below)
    TranscoderOperations ops = new TranscoderOperations(config, docker, specs, addresses,
        new ReadinessWaiter(ReadinessProbes.of(config.readiness(), docker), docker, config.readiness().timeout(), clock,
            Sleeper.SYSTEM, stopping::get),
        capacity, new ContainerLauncher(docker, specs, addresses, network, config.concurrency()), intents, coordination, probe);
    availability = new DockerAvailability(breaker, rawDocker, Duration.ofSeconds(2), scheduler,
        this::syncIntake, () -> {
          reconcile.run(); // learn what Docker holds before taking requests again
          syncIntake();
        });
    TransientRetrier retrier = new TransientRetrier(classifier, availability, config.dockerRetry(),
        MAX_ROUNDS_WHILE_DOCKER_UP, stopping::get, meters);
    CommandReconciler reconciler = new CommandReconciler(ops, specs, coordination,
        transcoderExecutor, tenantExecutor, recording, retrier, classifier, waits);
    fitness = new HostFitness(network, docker, config.image(), classifier, config.deliveryLimit());
    RequestPolicy policy = new RequestPolicy(config);
    CommandPipeline pipeline = new CommandPipeline(codec, policy, reconciler, lifecycle, classifier,
        config.hostId(), config.eventSource(), clock, control, fitness, meters);

    requests = new CommandConsumer(connection, Contract.REQUESTS_QUEUE, config.prefetch(), pipeline,
        deadLetters);
    hostCommands = new CommandConsumer(connection, Contract.hostQueue(config.hostId()),
        config.hostPrefetch(), pipeline, deadLetters);
    unroutable = new CommandConsumer(connection, Contract.UNROUTABLE_QUEUE, config.prefetch(), pipeline, deadLetters);

    supervision = Executors.newScheduledThreadPool(2, daemon("berth-supervision"));
    // Room demands (docs/demand.md): every worker converges them, both modes; nudged when something changes.
    demand = new DemandConverger(config.hostId(), config.eventSource(), coordination,
        coordination instanceof EtcdCoordination fleet ? new FleetDemandPlacements(fleet)
            : new LocalDemandPlacements(docker::managed),
        ops, specs, transcoderExecutor, this::freeSlots,
        () -> !stopping.get() && !availability.isDown() && coordination.inContact(), () -> !fitness.unfit(),
        policy, lifecycle, clock, supervision, waits);
    reconciler.onDemandRecorded(demand::nudge);
    capacity.onVacated(() -> {
      addresses.forgetLeft(); // a transcoder went: its address may be free again
      demand.nudge(); // and its slot may take a pending demand transcoder
    });
    crashes = Executors.newSingleThreadExecutor(daemon("berth-supervision-crash"));
    restarts = Executors.newFixedThreadPool(2, daemon("berth-supervision-restart"));
    supervisor = new Supervisor(config.hostId(), config.eventSource(), docker, ops, transcoderExecutor,
        tracker, intents, lifecycle, supervision, clock, crashes, restarts, meters);
    reconcile = new ReconcilePass(config.hostId(), docker, ops, transcoderExecutor, capacity, supervisor,
        intents, coordination, availability::isDown, meters);
    // Follow events first, then adopt what this host already runs: an exit in between is seen by one or the other.
    watcher = new EventWatcher(docker, docker, config.hostId(), supervisor, reconcile, supervision, clock);
    watcher.start();
    reconcile.run(); // Docker down at start is reported, not fatal
    try {
      network.ensure();
    } catch (RuntimeException e) {
      if (classifier.isTransient(e)) {
        log.error("start-up check failed: docker unreachable, not taking commands until it is back: error={}",
            e.getMessage());
        availability.markDown("docker unreachable at start");
      }
    }
    fitness.check(); // an unfit host says why and leaves the fleet's requests to the others
    long reconcileMillis = config.supervision().reconcileInterval().toMillis();
    supervision.scheduleWithFixedDelay(reconcile, reconcileMillis, reconcileMillis, TimeUnit.MILLISECONDS);
    supervision.scheduleWithFixedDelay(fitness, reconcileMillis, reconcileMillis, TimeUnit.MILLISECONDS);
    // On a thread of its own: the witness needs this host's pulse fresh even when supervision is busy.
    pulses = Executors.newSingleThreadScheduledExecutor(daemon("berth-fleet-pulse"));
    pulses.scheduleAtFixedRate(pulse::beat, 0, pulseEvery.toMillis(), TimeUnit.MILLISECONDS);
    if (coordination instanceof EtcdCoordination fleet) {
      long healMillis = Math.max(250, config.coordination().failover().toMillis() / 10);
      FleetHealer healer = new FleetHealer(config.hostId(), config.eventSource(), fleet, ops,
          transcoderExecutor, capacity, lifecycle, clock, probe, availability::isDown, docker);
      healer.afterTakeover(demand::nudge);
      supervision.scheduleWithFixedDelay(healer, healMillis, healMillis, TimeUnit.MILLISECONDS);
    }
    supervision.scheduleWithFixedDelay(demand, DEMAND_PASS_EVERY.toMillis(), DEMAND_PASS_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    long heartbeatMillis = config.supervision().heartbeatInterval().toMillis();
    supervision.scheduleAtFixedRate(new Heartbeat(config.hostId(), config.eventSource(), capacity,
        addresses::addressesLeft, lifecycle, clock),
        0, heartbeatMillis, TimeUnit.MILLISECONDS);
    // Unsafe set-ups (several engines on one broker without etcd, two workers with one host id) take nothing.
    intake = new IntakeController(requests, java.util.List.of(hostCommands, unroutable), config.prefetch(),
        this::freeSlots, availability::isDown, stopping::get);
    intake.pauseWhen("unsafe", pulse::unsafe, false);
    intake.pauseWhen("unfit", fitness::unfit, true);
    if (coordination instanceof EtcdCoordination fleet) {
      // Out of contact with the fleet, new work belongs to hosts that can claim it.
      intake.pauseWhen("fleet-contact", () -> !fleet.lease().held(), true);
    }
    pulse.onUnsafe(this::syncIntake);
    startObservability(breaker, tracker, clock); // before consuming: a port already taken stops the worker with nothing in hand
    intake.syncNow();
    supervision.scheduleWithFixedDelay(intake::sync, 2, 2, TimeUnit.SECONDS);
    log.info("worker started: hostId={} network={} driver={} maxTranscoders={} held={} coordination={}",
        config.hostId(), config.network().name(), config.network().driver().dockerName(), config.maxTranscoders(),
        capacity.held(), coordination.mode());
  }

  /** Slots, and addresses as last counted: a request is only taken when both have room. */
  private int freeSlots() {
    int left = addresses.knownLeft();
    return left < 0 ? capacity.free() : Math.min(capacity.free(), left);
  }

  private void syncIntake() {
    if (intake != null) {
      intake.sync();
    }
  }

  public String hostId() {
    return config.hostId();
  }

  /** Why this host takes no requests (its start-up check or a request found it unfit), if it does not. */
  public java.util.Optional<String> unfitReason() {
    return fitness.reason();
  }

  /** Whether this worker consumes the fleet's shared request queue right now. */
  public boolean takingRequests() {
    return requests.isConsuming();
  }

  /** Whether this worker is taking commands from the broker right now (false while paused for Docker or shutdown). */
  public boolean consuming() {
    return requests.isConsuming() || hostCommands.isConsuming();
  }

  /** Whether every consumer that should be consuming is, or is recovering within its budget (for a health check). */
  public boolean consumersHealthy() {
    return requests.healthy() && hostCommands.healthy() && unroutable.healthy();
  }

  /** No delivery is being processed: everything received has been acked, requeued or dead-lettered. */
  public boolean idle() {
    return requests.inFlight() == 0 && hostCommands.inFlight() == 0;
  }

  public CapacityGate capacity() {
    return capacity;
  }

  /** What the worker measures, as {@code /metrics} serves it. */
  public io.micrometer.core.instrument.MeterRegistry meters() {
    return meters;
  }

  /**
   * Observability (issue 8): gauges over what the worker already knows, JVM and process meters, and the HTTP port
   * with /metrics, /health/live and /health/ready (the readiness rule is {@link WorkerReadiness}) and the fleet page.
   * Bound last, when every fact it reads exists.
   */
  private void startObservability(CircuitBreaker breaker, CrashTracker tracker, Clock clock) throws java.io.IOException {
    WorkerReadiness readiness = new WorkerReadiness(stopping::get,
        () -> connection.isOpen() && publishing.isOpen(), this::consumersHealthy, availability::isDown,
        breaker::getState, coordination instanceof EtcdCoordination fleet
            ? java.util.Optional.of(new WorkerReadiness.Lease(fleet.lease()::held, fleet.lease()::fenced))
            : java.util.Optional.empty(), fitness::reason);
    jvmMeters = JvmMeters.bind(meters);
    StateGauges.breaker(meters, breaker::getState);
    StateGauges.dockerAvailable(meters, availability::isDown);
    StateGauges.intake(meters, intake.reasons(), intake::pausedFor);
    StateGauges.transcoders(meters, reconcile::lastStates, capacity::held, capacity.capacity(), this::freeSlots);
    StateGauges.readiness(meters, readiness);
    StateGauges.demand(meters, () -> demand.totals().desired(), () -> demand.totals().running(),
        () -> demand.totals().pending());
    if (config.observability().httpEnabled()) {
      pageViews = transcoderViews(tracker, clock);
      http = ObservabilityServer.start(config.observability().httpPort(), () -> !stopping.get(), readiness::checks,
          meters::scrape, java.util.Optional.of(pageViews));
    }
  }

  /**
   * The fleet page's data: this host's containers read from Docker as {@code berth status} reads them and, in a fleet,
   * every transcoder from etcd, each through a read-only client of its own and cached (see
   * {@link LiveTranscoderViews}); restarts and crashes from this worker's memory ({@link CrashTracker}).
   */
  private LiveTranscoderViews transcoderViews(CrashTracker tracker, Clock clock) {
    java.util.Optional<TranscoderViewAssembler.LocalIntents> local = coordination instanceof EtcdCoordination
        ? java.util.Optional.empty() // the fleet snapshot carries crash loops and suspensions
        : java.util.Optional.of(new TranscoderViewAssembler.LocalIntents(coordination::isCrashLooped,
            coordination::isSuspended));
    TranscoderViewAssembler assembler = new TranscoderViewAssembler(config.hostId(), config.coordination().fleet(),
        startedAt, tracker::memory, local);
    java.util.Optional<FleetReader> fleet = config.coordination().fleet()
        ? java.util.Optional.of(EtcdFleetReader.connect(config.coordination().etcdEndpoints(),
            config.coordination().etcdPrefix()))
        : java.util.Optional.empty();
    return new LiveTranscoderViews(config.hostId(), config.dockerHost(), DockerJavaInventory.connect(config.dockerHost()),
        availability::isDown, fleet, assembler, clock);
  }

  /** SIGTERM path: stop taking commands, let in-flight ones finish within the grace period, give back the rest. */
  @Override
  public void close() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    log.info("worker stopping: hostId={}", config.hostId());
    if (availability != null) {
      availability.stop();
    }
    if (watcher != null) {
      watcher.close();
    }
    if (supervision != null) {
      supervision.shutdownNow();
      crashes.shutdownNow();
      restarts.shutdownNow();
      if (supervisor != null) {
        supervisor.close();
      }
    }
    try {
      if (intake != null) {
        intake.syncNow(); // consumers cancelled before we wait for what they already delivered
        long start = System.nanoTime();
        boolean idle = requests.awaitIdle(config.shutdownGrace())
            & hostCommands.awaitIdle(config.shutdownGrace().minusNanos(System.nanoTime() - start));
        if (!idle) {
          log.warn("in-flight commands left at shutdown; the broker redelivers them");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly(() -> {
      if (connection != null) {
        connection.close(5000); // unacked deliveries go back to their queues
      }
    });
    closeQuietly(() -> {
      if (publishing != null) {
        publishing.close(5000);
      }
    });
    closeQuietly(() -> {
      if (transcoderExecutor != null) {
        recording.shutdown(); // not interrupted: an fsync interrupted closes the store's file for good
        recording.awaitTermination(5, TimeUnit.SECONDS);
        transcoderExecutor.close();
        tenantExecutor.close();
        waits.shutdownNow();
        waits.awaitTermination(10, TimeUnit.SECONDS);
      }
    });
    if (intake != null) {
      intake.close();
    }
    if (control != null) {
      control.shutdownNow();
      scheduler.shutdownNow();
    }
    closeQuietly(() -> {
      if (pulses != null) {
        pulses.shutdownNow();
      }
      if (pulse != null) {
        pulse.close();
      }
    });
    closeQuietly(() -> {
      if (coordination != null) {
        coordination.close();
      }
    });
    closeQuietly(() -> {
      if (rawDocker != null) {
        rawDocker.close();
      }
    });
    // Last: while the worker drains, /health/live says 503 and /metrics can still be scraped.
    closeQuietly(() -> {
      if (http != null) {
        http.close();
      }
      if (pageViews != null) {
        pageViews.close();
      }
      if (jvmMeters != null) {
        jvmMeters.close();
      }
      meters.close();
    });
    log.info("worker stopped: hostId={}", config.hostId());
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void closeQuietly(Step step) {
    try {
      step.run();
    } catch (Exception e) {
      log.warn("error while stopping: {}", e.toString());
    }
  }

  /**
   * A pool that hands a task to an idle thread if there is one, else starts a thread up to {@code max}, else queues
   * it; idle threads go after 30 s. A fixed pool with a core size instead starts a thread for every task until the
   * core is full (250 threads for 250 releases of nothing), and a plain bounded one queues before it grows.
   */
  private static ExecutorService growing(String name, int max) {
    java.util.concurrent.LinkedTransferQueue<Runnable> queue = new java.util.concurrent.LinkedTransferQueue<>() {
      @Override
      public boolean offer(Runnable task) {
        return tryTransfer(task); // only to a thread waiting for work: otherwise the pool starts one
      }
    };
    return new ThreadPoolExecutor(0, max, 30, TimeUnit.SECONDS, queue, daemon(name), (task, pool) -> {
      if (pool.isShutdown()) {
        throw new java.util.concurrent.RejectedExecutionException(name + " is shut down");
      }
      queue.add(task); // all max threads busy: the task waits for one
    });
  }

  private static java.util.concurrent.ThreadFactory daemon(String prefix) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
