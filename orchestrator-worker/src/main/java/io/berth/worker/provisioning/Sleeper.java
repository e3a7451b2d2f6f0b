package io.berth.worker.provisioning;

import java.time.Duration;

/** Injectable pause, so polling loops can be tested without waiting. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());
}
