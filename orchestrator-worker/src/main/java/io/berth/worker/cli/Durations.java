package io.berth.worker.cli;

import java.time.Duration;

/** Durations for people: the two largest units, e.g. {@code 45s}, {@code 4m40s}, {@code 3h12m}, {@code 2d4h}. */
public final class Durations {
  private Durations() {}

  public static String human(Duration duration) {
    long s = Math.max(0, duration.toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return two(s / 60, "m", s % 60, "s");
    }
    if (s < 86_400) {
      return two(s / 3600, "h", s % 3600 / 60, "m");
    }
    return two(s / 86_400, "d", s % 86_400 / 3600, "h");
  }

  private static String two(long big, String bigUnit, long small, String smallUnit) {
    return big + bigUnit + (small == 0 ? "" : small + smallUnit);
  }
}
