package io.berth.worker.messaging;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether the worker takes commands, on one thread and from current facts only: shutting down, Docker
 * down, free capacity. Callers just say "something changed" ({@link #sync()}); because every decision re-reads the
 * facts, the order in which changes were reported cannot leave a consumer in the wrong state. Also run on a timer,
 * which retries a consume that failed (e.g. while the broker connection was recovering).
 */
public final class IntakeController implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IntakeController.class);

  private final CommandConsumer requests;
  /** Every other queue (this host's, the unroutable commands'): paused only for shutdown and Docker. */
  private final List<CommandConsumer> others;
  private final int prefetch;
  private final IntSupplier freeSlots;
  private final BooleanSupplier dockerDown;
  private final BooleanSupplier stopping;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "berth-intake");
    t.setDaemon(true);
    return t;
  });

  public IntakeController(CommandConsumer requests, List<CommandConsumer> others, int prefetch, IntSupplier freeSlots,
      BooleanSupplier dockerDown, BooleanSupplier stopping) {
    this.requests = requests;
    this.others = List.copyOf(others);
    this.prefetch = prefetch;
    this.freeSlots = freeSlots;
    this.dockerDown = dockerDown;
    this.stopping = stopping;
    // A consumer the broker took away (channel closed, queue deleted) is brought back by the next decision.
    requests.onLost(this::sync);
    this.others.forEach(consumer -> consumer.onLost(this::sync));
  }

  /** Something changed: re-decide soon, on the intake thread. */
  public void sync() {
    if (!thread.isShutdown()) {
      thread.execute(this::decide);
    }
  }

  /** Re-decide and wait for the broker to follow, e.g. before waiting for in-flight work at shutdown. */
  public void syncNow() throws InterruptedException {
    try {
      thread.submit(this::decide).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("intake sync failed: error={}", e.toString());
    }
  }

  private final Map<String, BooleanSupplier> pauseAll = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, BooleanSupplier> pauseRequests = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * One more fact that stops intake while true, named by {@code reason} in the logs: of every queue, or only of the
   * shared requests (the host can still act on what it holds, but must not take new work other hosts could do).
   */
  public void pauseWhen(String reason, BooleanSupplier condition, boolean requestsOnly) {
    (requestsOnly ? pauseRequests : pauseAll).put(reason, condition);
  }

  /** Every reason intake pauses for: its own (shutdown, docker, capacity) and those given to {@link #pauseWhen}. */
  public java.util.Set<String> reasons() {
    java.util.Set<String> reasons = new java.util.TreeSet<>(List.of("shutdown", "docker", "capacity"));
    reasons.addAll(pauseAll.keySet());
    reasons.addAll(pauseRequests.keySet());
    return reasons;
  }

  /** Whether some queue's consumer is paused for {@code reason} as of the last decision. */
  public boolean pausedFor(String reason) {
    return requests.pausedFor(reason) || others.stream().anyMatch(consumer -> consumer.pausedFor(reason));
  }

  private void decide() {
    boolean stop = stopping.getAsBoolean();
    boolean down = dockerDown.getAsBoolean();
    Map<String, Boolean> all0 = new java.util.HashMap<>();
    pauseAll.forEach((reason, condition) -> all0.put(reason, condition.getAsBoolean()));
    int free = freeSlots.getAsInt();
    List<CommandConsumer> all = new java.util.ArrayList<>(others);
    all.add(0, requests);
    for (CommandConsumer consumer : all) {
      consumer.setPaused("shutdown", stop);
      consumer.setPaused("docker", down);
      all0.forEach(consumer::setPaused);
    }
    pauseRequests.forEach((reason, condition) -> requests.setPaused(reason, condition.getAsBoolean()));
    // A request takes a slot: never have more of them in hand than there are free slots.
    requests.setPaused("capacity", free == 0);
    requests.setPrefetch(Math.min(prefetch, Math.max(1, free)));
    all.forEach(CommandConsumer::apply);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
