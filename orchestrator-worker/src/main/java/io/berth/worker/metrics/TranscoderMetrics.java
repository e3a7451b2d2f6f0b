package io.berth.worker.metrics;

import io.berth.events.RestartCause;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Crashes, restarts and crash loops of this host's transcoders, counted when the worker acts (not when the event is
 * confirmed: a broker outage delays the report, never the count). Every series exists from the start at 0, so an
 * alert on {@code increase(...)} sees the first crash. No tenant or transcoder tag: unbounded.
 */
public final class TranscoderMetrics {
  private final Counter crashed;
  private final Counter oomKilled;
  private final Counter crashLoops;
  private final Map<RestartCause, Counter> restarts = new EnumMap<>(RestartCause.class);

  public TranscoderMetrics(MeterRegistry registry) {
    crashed = crashes(registry, false);
    oomKilled = crashes(registry, true);
    crashLoops = Counter.builder("berth.transcoder.crash.loops")
        .description("Transcoders given up on as a crash loop (ProvisioningFailed crash-loop, left stopped)")
        .register(registry);
    for (RestartCause cause : RestartCause.values()) {
      restarts.put(cause, Counter.builder("berth.transcoder.restarts")
          .description("Transcoders restarted in place, on request or after a crash")
          .tag("cause", cause.value())
          .register(registry));
    }
  }

  private static Counter crashes(MeterRegistry registry, boolean oom) {
    return Counter.builder("berth.transcoder.crashes")
        .description("Exits of transcoders Berth did not ask for (ContainerCrashed)")
        .tag("oom", Boolean.toString(oom).toLowerCase(Locale.ROOT))
        .register(registry);
  }

  public void crashed(boolean oom) {
    (oom ? oomKilled : crashed).increment();
  }

  public void restarted(RestartCause cause) {
    restarts.get(cause).increment();
  }

  public void crashLooped() {
    crashLoops.increment();
  }
}
