package io.berth.worker.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KeyedExecutorTest {

  @Test
  void tasksOfOneKeyRunInOrderOneAtATime() throws Exception {
    try (KeyedExecutor executor = new KeyedExecutor(Executors.newFixedThreadPool(4))) {
      List<Integer> seen = new CopyOnWriteArrayList<>();
      java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicInteger maxRunning = new java.util.concurrent.atomic.AtomicInteger();
      List<CompletableFuture<Integer>> futures = IntStream.range(0, 50)
          .mapToObj(i -> executor.submit("k", () -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            seen.add(i);
            running.decrementAndGet();
            return i;
          }))
          .toList();
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      assertThat(seen).containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());
      assertThat(maxRunning.get()).isEqualTo(1);
      await().until(() -> executor.activeKeys() == 0);
    }
  }

  @Test
  void differentKeysRunInParallelAndAFailureDoesNotBlockTheKey() throws Exception {
    try (KeyedExecutor executor = new KeyedExecutor(Executors.newFixedThreadPool(2))) {
      CountDownLatch bothRunning = new CountDownLatch(2);
      CompletableFuture<Boolean> a = executor.submit("a", () -> arriveAndWait(bothRunning));
      CompletableFuture<Boolean> b = executor.submit("b", () -> arriveAndWait(bothRunning));
      assertThat(a.get(10, TimeUnit.SECONDS)).isTrue();
      assertThat(b.get(10, TimeUnit.SECONDS)).isTrue();

      CompletableFuture<Object> failing = executor.submit("a", () -> {
        throw new IllegalStateException("boom");
      });
      CompletableFuture<String> after = executor.submit("a", () -> "still runs");
      assertThat(failing).failsWithin(10, TimeUnit.SECONDS);
      assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo("still runs");
    }
  }

  private static boolean arriveAndWait(CountDownLatch latch) {
    latch.countDown();
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aGatedTaskKeepsItsPlaceAndStartsOnlyOnceItsGateIsDone() throws Exception {
    java.util.concurrent.ExecutorService pool = Executors.newFixedThreadPool(1);
    try (KeyedExecutor keyed = new KeyedExecutor(pool)) {
      CompletableFuture<Void> gate = new CompletableFuture<>();
      List<String> ran = new CopyOnWriteArrayList<>();
      CompletableFuture<String> gated = keyed.submit("k", gate, () -> {
        ran.add("gated");
        return "gated";
      });
      CompletableFuture<String> after = keyed.submit("k", () -> {
        ran.add("after");
        return "after";
      });
      CompletableFuture<String> otherKey = keyed.submit("other", () -> "other");

      // The gated task holds no thread while it waits: the single thread serves another key meanwhile.
      assertThat(otherKey.get(10, TimeUnit.SECONDS)).isEqualTo("other");
      assertThat(gated).isNotDone();
      assertThat(after).isNotDone(); // behind the gated one, in submission order
      gate.complete(null);
      assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo("after");
      assertThat(ran).containsExactly("gated", "after");

      CompletableFuture<Void> failed = CompletableFuture.failedFuture(new IllegalStateException("not recorded"));
      CompletableFuture<String> refused = keyed.submit("k", failed, () -> {
        ran.add("refused");
        return "refused";
      });
      await().atMost(10, TimeUnit.SECONDS).until(refused::isDone);
      assertThat(refused).isCompletedExceptionally();
      assertThat(ran).doesNotContain("refused");
    }
  }
}
