package io.berth.worker.provisioning;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs tasks one at a time per key and in parallel across keys, on a bounded pool. Tasks for a key run in submission
 * order, so two commands for one transcoder never race in Docker.
 */
public final class KeyedExecutor implements AutoCloseable {
  private final ExecutorService pool;
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private final Map<Object, CompletableFuture<?>> tails = new HashMap<>();

  public KeyedExecutor(ExecutorService pool) {
    this.pool = pool;
  }

  public <T> CompletableFuture<T> submit(Object key, Supplier<T> task) {
    return submit(key, task, pool);
  }

  /** Same ordering per key, but run on {@code executor}: lets slow supervision work leave the command pool alone. */
  public <T> CompletableFuture<T> submit(Object key, Supplier<T> task, java.util.concurrent.Executor executor) {
    return submit(key, DONE, task, executor);
  }

  /** On the pool, in its key's order, once {@code after} is done too. */
  public <T> CompletableFuture<T> submit(Object key, CompletableFuture<?> after, Supplier<T> task) {
    return submit(key, after, task, pool);
  }

  /**
   * Takes its place in the key's order now, but starts (holding a thread) only once the key's previous task and
   * {@code after} are done; fails with {@code after}'s failure without running.
   */
  public <T> CompletableFuture<T> submit(Object key, CompletableFuture<?> after, Supplier<T> task,
      java.util.concurrent.Executor executor) {
    synchronized (tails) {
      CompletableFuture<?> previous = tails.getOrDefault(key, DONE).handle((ignored, error) -> null);
      CompletableFuture<?> ready = after == DONE ? previous : CompletableFuture.allOf(previous, after);
      CompletableFuture<T> next = ready.thenApplyAsync(x -> task.get(), executor);
      tails.put(key, next);
      // Drop the entry once this task is the last for its key, so the map does not grow with every transcoder ever seen.
      next.whenComplete((result, error) -> {
        synchronized (tails) {
          tails.remove(key, next);
        }
      });
      return next;
    }
  }

  /** Whether a task for this key is queued or running. */
  public boolean isBusy(Object key) {
    synchronized (tails) {
      return tails.containsKey(key);
    }
  }

  public int activeKeys() {
    synchronized (tails) {
      return tails.size();
    }
  }

  @Override
  public void close() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
  }
}
