package io.berth.events;

/** Data of a command: published by billing/autoscaling to {@link Contract#COMMANDS_EXCHANGE}. */
public sealed interface CommandData extends EventData
    permits TranscoderRequested, TranscoderReleased, TranscoderRestartRequested,
        RoomClosed, RoomDemandChanged, TenantSuspended, TenantResumed {

  /** Every command is scoped to one tenant. */
  String tenantId();
}
