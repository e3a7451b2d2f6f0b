package io.berth.worker.provisioning;

/** Decides whether a freshly started WCS answers yet. One attempt per call; the waiter does the polling. */
@FunctionalInterface
public interface ReadinessProbe {
  boolean isReady(String containerId, String ipAddress);
}
