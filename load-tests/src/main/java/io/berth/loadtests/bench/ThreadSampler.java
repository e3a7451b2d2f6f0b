package io.berth.loadtests.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread dumps of the worker while something runs: SIGQUIT every {@code periodMillis}, which makes HotSpot print every
 * thread's stack to the worker's stdout (its log). No jcmd: that starts a JVM per sample, which on two cores would
 * compete with what is measured. A dump is a safepoint, so it is taken on a batch whose figures are not reported.
 */
final class ThreadSampler implements AutoCloseable {
  private final long pid;
  private final Thread thread;
  private final AtomicInteger samples = new AtomicInteger();
  private volatile boolean running = true;

  ThreadSampler(long pid, long periodMillis) {
    this.pid = pid;
    this.thread = new Thread(() -> {
      while (running) {
        try {
          Process p = new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
          if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
            samples.incrementAndGet();
          }
          Thread.sleep(periodMillis);
        } catch (IOException e) {
          return; // no kill(1): no samples
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "berth-bench-thread-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  int samples() {
    return samples.get();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(10_000);
  }
}
