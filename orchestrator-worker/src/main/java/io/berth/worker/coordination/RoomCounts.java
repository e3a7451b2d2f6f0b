package io.berth.worker.coordination;

/**
 * A demand-managed room's state as a {@code RoomDemandStatus} reports it: its demand, its demand transcoders running
 * fleet-wide, and those of the demand no host holds.
 */
public record RoomCounts(int desired, int running, int pending) {
  public RoomCounts {
    if (desired < 0 || running < 0 || pending < 0 || pending > desired) {
      throw new IllegalArgumentException("counts out of range: desired=" + desired + " running=" + running
          + " pending=" + pending);
    }
  }
}
