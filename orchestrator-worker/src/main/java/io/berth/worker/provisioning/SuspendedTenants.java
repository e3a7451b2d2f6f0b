package io.berth.worker.provisioning;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tenants suspended by billing: their new requests are refused until they are resumed. Recorded the moment the
 * command is seen; ordered by the commands' CloudEvents time, so a late-arriving old resume cannot undo a suspension.
 * In memory: every host sees both commands, and a restarted worker starts with none suspended (see docs/worker.md).
 */
public final class SuspendedTenants {
  private final Map<String, Instant> suspendedAt = new ConcurrentHashMap<>();
  private final Map<String, Instant> resumedAt = new ConcurrentHashMap<>();

  public void suspended(String tenantId, Instant at) {
    suspendedAt.merge(tenantId, at, (a, b) -> a.isAfter(b) ? a : b);
  }

  public void resumed(String tenantId, Instant at) {
    resumedAt.merge(tenantId, at, (a, b) -> a.isAfter(b) ? a : b);
    if (!isSuspended(tenantId)) {
      suspendedAt.remove(tenantId); // nothing left to remember for an active tenant
    }
  }

  public boolean isSuspended(String tenantId) {
    Instant suspended = suspendedAt.get(tenantId);
    if (suspended == null) {
      return false;
    }
    Instant resumed = resumedAt.get(tenantId);
    return resumed == null || resumed.isBefore(suspended);
  }
}
