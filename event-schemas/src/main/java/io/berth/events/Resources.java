package io.berth.events;

/** Container limits for a requested transcoder. Bounds keep a typo from starving a host. */
public record Resources(double cpus, int memoryMb) {

  /**
   * Docker turns cpus into NanoCpus = cpus x 1e9 and reads 0 as "no limit": a billionth of a CPU would become 1, a
   * limit nothing can run under, and anything rounding to 0 none at all. A hundredth is the least a WCS can use.
   */
  public static final double MIN_CPUS = 0.01;
  public static final double MAX_CPUS = 64;
  /** Well above Docker's own floor (6 MB); below this WCS (a JVM) cannot start. */
  public static final int MIN_MEMORY_MB = 64;
  public static final int MAX_MEMORY_MB = 262_144;

  public Resources {
    // written as a negated range so NaN is refused too
    if (!(cpus >= MIN_CPUS && cpus <= MAX_CPUS)) {
      throw new IllegalArgumentException(
          "cpus must be >= " + MIN_CPUS + " and <= " + (int) MAX_CPUS + " (got " + cpus + ")");
    }
    Checks.between("memoryMb", memoryMb, MIN_MEMORY_MB, MAX_MEMORY_MB);
  }
}
