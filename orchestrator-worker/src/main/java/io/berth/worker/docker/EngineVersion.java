package io.berth.worker.docker;

import java.util.Objects;

/**
 * What the Docker Engine says about itself.
 *
 * @param version the engine's release, e.g. {@code 20.10.24}
 * @param apiVersion the newest API version it speaks, e.g. {@code 1.41}
 */
public record EngineVersion(String version, String apiVersion) {
  /** docker-java's calls and Berth's network options need API 1.41 (Docker Engine 20.10) or later. */
  public static final String MINIMUM_API = "1.41";

  public EngineVersion {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(apiVersion, "apiVersion");
  }

  /** Whether this engine speaks API {@code needed} or later; an unreadable version counts as too old. */
  public boolean speaks(String needed) {
    return compare(apiVersion, needed) >= 0;
  }

  /** Compares dotted versions numerically ({@code 1.9 < 1.41}); unparseable text sorts first. */
  static int compare(String a, String b) {
    int[] x = parse(a);
    int[] y = parse(b);
    if (x == null || y == null) {
      return x == null ? (y == null ? 0 : -1) : 1;
    }
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int left = i < x.length ? x[i] : 0;
      int right = i < y.length ? y[i] : 0;
      if (left != right) {
        return Integer.compare(left, right);
      }
    }
    return 0;
  }

  private static int[] parse(String version) {
    if (version == null || !version.matches("\\d+(\\.\\d+)*")) {
      return null;
    }
    String[] parts = version.split("\\.");
    int[] numbers = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      numbers[i] = Integer.parseInt(parts[i]);
    }
    return numbers;
  }
}
