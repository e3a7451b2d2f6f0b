package io.berth.events;

/** Command: the tenant stopped paying; stop all its transcoders and refuse new requests. */
public record TenantSuspended(String tenantId) implements CommandData {

  public TenantSuspended {
    Identifiers.require("tenantId", tenantId);
  }
}
