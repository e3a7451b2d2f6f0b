package io.berth.events;

/** Container limits for a requested transcoder. Bounds keep a typo from starving a host. */
public record Resources(double cpus, int memoryMb) {

  public static final double MAX_CPUS = 64;
  public static final int MIN_MEMORY_MB = 64;
  public static final int MAX_MEMORY_MB = 262_144;

  public Resources {
    // written as a negated range so NaN is refused too
    if (!(cpus > 0 && cpus <= MAX_CPUS)) {
      throw new IllegalArgumentException(
          "cpus must be > 0 and <= " + (int) MAX_CPUS + " (got " + cpus + ")");
    }
    Checks.between("memoryMb", memoryMb, MIN_MEMORY_MB, MAX_MEMORY_MB);
  }
}
