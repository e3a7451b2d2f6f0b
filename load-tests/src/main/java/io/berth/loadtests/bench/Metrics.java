package io.berth.loadtests.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One measured series: every sample's latency (HdrHistogram, 3 significant digits) and the wall time the whole series
 * took, from which its rate follows. Samples are kept too, for the per-request CSV.
 */
public final class Metrics {
  private final Histogram histogram = new Histogram(3_600_000L, 3);
  private final List<Double> samples = Collections.synchronizedList(new ArrayList<>());
  private volatile double wallMillis;

  /** Records one latency in milliseconds. */
  public synchronized void record(double millis) {
    histogram.recordValue(Math.max(0, Math.round(millis)));
    samples.add(millis);
  }

  /** The series' wall time, first action to last completion. */
  public void wall(double millis) {
    this.wallMillis = millis;
  }

  public double wallMillis() {
    return wallMillis;
  }

  public long count() {
    return histogram.getTotalCount();
  }

  /** Completions per second over the series' wall time; 0 when nothing was timed. */
  public double rate() {
    return wallMillis <= 0 ? 0 : count() * 1000.0 / wallMillis;
  }

  public long percentile(double p) {
    return histogram.getValueAtPercentile(p);
  }

  public long max() {
    return histogram.getMaxValue();
  }

  public List<Double> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  public static double millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }
}
