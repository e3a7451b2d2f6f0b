package io.berth.worker.coordination;

import java.time.Instant;
import java.util.Objects;

/** A release or room close: requests issued at or before {@code at} for its scope are not provisioned. */
public record Cancellation(String commandId, String commandType, Instant at) {
  public Cancellation {
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(commandType, "commandType");
    Objects.requireNonNull(at, "at");
  }
}
