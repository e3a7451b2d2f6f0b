package io.berth.worker.provisioning;

import java.time.Instant;

/** The command being carried out: its id becomes the causation of every event it leads to. */
public record CommandRef(String id, String type, Instant time) {}
