package io.berth.loadtests.chaos;

/** How big a run is: SHORT in CI (minutes in all), FULL for the figures in docs/RELIABILITY.md. */
public enum Size {
  SHORT(1), FULL(5);

  private final int factor;

  Size(int factor) {
    this.factor = factor;
  }

  /** {@code base} for a short run, {@code base * factor} for a full one. */
  public int of(int base) {
    return base * factor;
  }
}
