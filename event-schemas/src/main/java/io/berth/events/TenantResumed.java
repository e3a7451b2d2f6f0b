package io.berth.events;

/** Command: lift a suspension; requests for the tenant are accepted again. */
public record TenantResumed(String tenantId) implements CommandData {

  public TenantResumed {
    Identifiers.require("tenantId", tenantId);
  }
}
