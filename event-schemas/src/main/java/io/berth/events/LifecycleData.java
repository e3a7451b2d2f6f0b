package io.berth.events;

/** Data of a lifecycle event: published by workers to {@link Contract#LIFECYCLE_EXCHANGE}. */
public sealed interface LifecycleData extends EventData
    permits TranscoderStarted, TranscoderStopped, TranscoderRestarted, TranscoderMoved, ContainerCrashed,
        ProvisioningFailed, CommandRejected, RoomDemandStatus, WorkerHeartbeat {
}
