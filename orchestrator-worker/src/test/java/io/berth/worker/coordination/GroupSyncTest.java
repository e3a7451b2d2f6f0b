package io.berth.worker.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupSyncTest {

  @Test
  void writersThatCommitWhileOneSyncRunsShareTheNext() throws Exception {
    CountDownLatch firstSyncMayEnd = new CountDownLatch(1);
    AtomicInteger syncs = new AtomicInteger();
    GroupSync sync = new GroupSync(() -> {
      if (syncs.incrementAndGet() == 1) {
        try {
          firstSyncMayEnd.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    Thread first = new Thread(() -> sync.awaitDurable(sync.ticket()));
    first.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> syncs.get() == 1);

    List<Thread> others = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      long ticket = sync.ticket(); // committed while the first sync runs
      Thread t = new Thread(() -> sync.awaitDurable(ticket));
      t.start();
      others.add(t);
    }
    await().atMost(Duration.ofSeconds(10))
        .until(() -> others.stream().allMatch(t -> t.getState() == Thread.State.BLOCKED));
    firstSyncMayEnd.countDown();
    first.join(10_000);
    for (Thread t : others) {
      t.join(10_000);
    }

    assertThat(syncs.get()).as("one sync for the first writer, one shared by the nine").isEqualTo(2);
    assertThat(sync.synced()).isEqualTo(10);
  }

  @Test
  void aWriteCommittedAfterASyncBeganWaitsForItsOwn() {
    AtomicInteger syncs = new AtomicInteger();
    GroupSync sync = new GroupSync(syncs::incrementAndGet);
    sync.awaitDurable(sync.ticket());
    sync.awaitDurable(sync.ticket());
    sync.awaitDurable(1); // long on disk
    assertThat(syncs.get()).isEqualTo(2);
  }

  @Test
  void aWriteAlreadyOnDiskDoesNotWaitBehindASyncInProgress() throws Exception {
    CountDownLatch syncMayEnd = new CountDownLatch(1);
    AtomicInteger syncs = new AtomicInteger();
    GroupSync sync = new GroupSync(() -> {
      if (syncs.incrementAndGet() == 2) {
        try {
          syncMayEnd.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    long durable = sync.ticket();
    sync.awaitDurable(durable);
    Thread writer = new Thread(() -> sync.awaitDurable(sync.ticket()));
    writer.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> syncs.get() == 2); // the writer's fsync is running

    Thread reader = new Thread(() -> sync.awaitDurable(durable));
    reader.start();
    await("a read of what is on disk returns at once").atMost(Duration.ofSeconds(10))
        .until(() -> reader.getState() == Thread.State.TERMINATED);
    assertThat(writer.isAlive()).isTrue();
    syncMayEnd.countDown();
    writer.join(10_000);
  }
}
