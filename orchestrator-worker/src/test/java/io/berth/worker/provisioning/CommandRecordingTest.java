package io.berth.worker.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.events.TranscoderReleased;
import io.berth.worker.config.DockerRetryConfig;
import io.berth.worker.coordination.Coordination;
import io.berth.worker.coordination.LocalCoordination;
import io.berth.worker.docker.DockerGateway;
import io.berth.worker.failure.DockerAvailability;
import io.berth.worker.failure.FailureClassifier;
import io.berth.worker.failure.TransientRetrier;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command's intent (a release's cancellation) is recorded durably before its work, but not on the thread that
 * hands it in: that is the broker's delivery thread of its queue, one per queue, so a store that waits for the disk
 * there serialised every release behind one fsync each (the benchmark's no-op releases ran at 611/s, 8% of the
 * broker's own rate). Recordings of different transcoders run side by side, so they share one sync.
 */
class CommandRecordingTest {
  @TempDir
  Path stateDir;
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final ExecutorService caller = Executors.newSingleThreadExecutor();
  private final java.util.concurrent.ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor();
  private LocalCoordination store;
  private final CountDownLatch bothRecording = new CountDownLatch(2);
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger recording = new AtomicInteger();
  private CommandReconciler reconciler;

  @BeforeEach
  void start() {
    store = LocalCoordination.open(stateDir, "host-a", Clock.systemUTC(), Duration.ofHours(1));
    // The store, with each cancellation held until the test lets it go: a disk that is slow to sync.
    Coordination slowDisk = (Coordination) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Coordination.class}, (proxy, method, args) -> {
          if (method.getName().equals("transcoderReleased")) {
            recording.incrementAndGet();
            bothRecording.countDown();
            release.await();
          }
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    DockerAvailability availability = new DockerAvailability(CircuitBreaker.ofDefaults("test"),
        (DockerGateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DockerGateway.class},
            (proxy, method, args) -> null),
        Duration.ofSeconds(1), probes, () -> { }, () -> { });
    TransientRetrier retrier = new TransientRetrier(new FailureClassifier(), availability,
        new DockerRetryConfig(1, Duration.ofMillis(1), Duration.ofMillis(2)), 3, () -> false, new SimpleMeterRegistry());
    // No Docker operations: the work after the recording fails, which is not what this test looks at.
    reconciler = new CommandReconciler(null, null, slowDisk, new KeyedExecutor(pool), new KeyedExecutor(pool),
        pool, retrier, new FailureClassifier(), pool);
  }

  @AfterEach
  void stop() {
    release.countDown();
    caller.shutdownNow();
    probes.shutdownNow();
    pool.shutdownNow();
    store.close();
  }

  private Future<CompletableFuture<List<io.berth.events.LifecycleData>>> handIn(String transcoderId) {
    CommandRef ref = new CommandRef("release-" + transcoderId, "TranscoderReleased", Instant.now());
    return caller.submit(() -> reconciler.reconcile(ref, new TranscoderReleased("acme", transcoderId),
        events -> { }));
  }

  private static CompletableFuture<List<io.berth.events.LifecycleData>> handedIn(
      Future<CompletableFuture<List<io.berth.events.LifecycleData>>> call) throws Exception {
    return call.get(0, TimeUnit.SECONDS); // only read once done
  }

  @Test
  void handingInAReleaseDoesNotWaitForItsRecording() throws Exception {
    Future<CompletableFuture<List<io.berth.events.LifecycleData>>> first = handIn("t-1");
    Future<CompletableFuture<List<io.berth.events.LifecycleData>>> second = handIn("t-2");

    // Both are handed in while neither recording has returned, and both record at once (one sync for the two).
    await().atMost(10, TimeUnit.SECONDS).until(() -> first.isDone() && second.isDone());
    await().atMost(10, TimeUnit.SECONDS).until(() -> bothRecording.getCount() == 0);
    assertThat(recording.get()).isEqualTo(2);
    assertThat(handedIn(first)).isNotDone(); // not done before its intent is recorded
    assertThat(store.cancelling(new TranscoderKey("acme", "t-1"), null, Instant.EPOCH)).isEmpty();

    release.countDown();
    await().atMost(10, TimeUnit.SECONDS).until(() -> handedIn(first).isDone() && handedIn(second).isDone());
    assertThat(store.cancelling(new TranscoderKey("acme", "t-1"), null, Instant.EPOCH)).isPresent();
    assertThat(store.cancelling(new TranscoderKey("acme", "t-2"), null, Instant.EPOCH)).isPresent();
  }
}
