package io.berth.loadtests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Everything one run measured, and its raw CSV. */
public final class Results {
  /** Sections of the series. */
  public static final String BURST = "burst";
  public static final String TEARDOWN = "teardown";
  public static final String STEADY = "steady";
  public static final String CONTROL = "control-plane";
  public static final String SCALE = "scale";
  public static final String PORTS = "port-range";
  public static final String ROOM_CLOSE = "room-close";

  /** Who did the work. */
  public static final String BERTH = "Berth";
  public static final String RAW = "raw Docker API";
  public static final String SHELL = "docker run loop";

  /** One measured series, e.g. (burst, Berth, 100). */
  public record Series(String section, String what, int size, Metrics metrics) { }

  /** The worker while holding {@code held} transcoders. */
  public record ScalePoint(int held, double rssMb, double heapMb, double reconcileMs, long reconcilePasses,
      Metrics requests, double heapCommittedMb, double nonHeapCommittedMb, double threads) { }

  /** What the worker spent in Docker per command in a series: operation → {calls, milliseconds} per command. */
  public record DockerCost(String series, int commands, Map<String, double[]> perCommand) {
    public double millis() {
      return perCommand.values().stream().mapToDouble(v -> v[1]).sum();
    }

    public double calls() {
      return perCommand.values().stream().mapToDouble(v -> v[0]).sum();
    }
  }

  /** The broker baseline's series name in {@link #cpuCosts}. */
  public static final String BROKER_SERIES = "broker alone";

  /**
   * CPU milliseconds per command of a series, by process ({@link CpuMeter#PARTS}, and the machine's busy time over all
   * its cores), and the series' wall time.
   */
  public record CpuCost(String series, int commands, double wallMs, Map<String, Double> perCommand) {
    /** What the processes that serve a command (all but the machine total) spent on it together. */
    public double servingMs() {
      return CpuMeter.PARTS.stream().mapToDouble(p -> perCommand.getOrDefault(p, 0.0)).sum();
    }

    /** How busy the machine's cores were during the series, 0..1. */
    public double busy(int cores) {
      return wallMs > 0 ? perCommand.getOrDefault(CpuMeter.MACHINE, 0.0) * commands / (wallMs * cores) : 0;
    }
  }

  /** One port-range start and removal, against Berth's with a static address. */
  public record PortRow(String what, double startMs, double removalMs, int proxies) { }

  public final List<Series> series = new ArrayList<>();
  public final List<ScalePoint> scale = new ArrayList<>();
  public final List<DockerCost> dockerCosts = new ArrayList<>();
  public final List<CpuCost> cpuCosts = new ArrayList<>();
  public final List<PortRow> ports = new ArrayList<>();
  public final Map<String, String> machine = new LinkedHashMap<>();
  /** Commands that did not reach their event (timed out or failed), by series. */
  public final Map<String, Integer> incomplete = new LinkedHashMap<>();
  public final Map<String, String> settings = new LinkedHashMap<>();
  public double brokerRate;
  public double roomCloseSeconds;
  public int roomCloseSize;
  public double steadyRate;
  /** Transcoders held while the duplicates ran, and the requests queue's prefetch then. */
  public int duplicatesHeld;
  public int duplicatesPrefetch;
  /** BERTH_PREFETCH of the run (the requests queue's). */
  public int prefetch;
  /** BERTH_HOST_PREFETCH of the run (the no-ops' queue), also the broker baseline consumer's. */
  public int hostPrefetch;
  /** Thread dumps of the worker (in its log) taken during a second, unreported batch of the duplicates. */
  public int duplicateThreadDumps;
  public String command = "";
  public double durationSeconds;

  public Metrics add(String section, String what, int size) {
    Metrics m = new Metrics();
    series.add(new Series(section, what, size, m));
    return m;
  }

  public Optional<Metrics> find(String section, String what, int size) {
    return series.stream().filter(s -> s.section().equals(section) && s.what().equals(what) && s.size() == size)
        .map(Series::metrics).findFirst();
  }

  public List<Integer> sizes(String section) {
    return series.stream().filter(s -> s.section().equals(section)).map(Series::size).distinct().sorted().toList();
  }

  public Optional<CpuCost> cpuCost(String name) {
    return cpuCosts.stream().filter(c -> c.series().equals(name)).findFirst();
  }

  public Optional<DockerCost> dockerCost(String name) {
    return dockerCosts.stream().filter(c -> c.series().equals(name)).findFirst();
  }

  /** requests.csv (one row per command or container), summary.csv (one row per series), scale.csv, ports.csv. */
  public void writeCsv(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<String> requests = new ArrayList<>(List.of("section,what,size,index,latency_ms"));
    List<String> summary = new ArrayList<>(List.of("section,what,size,n,wall_ms,rate_per_s,p50_ms,p90_ms,p99_ms,max_ms"));
    for (Series s : series) {
      List<Double> samples = s.metrics().samples();
      for (int i = 0; i < samples.size(); i++) {
        requests.add(String.join(",", s.section(), quote(s.what()), Integer.toString(s.size()), Integer.toString(i),
            fmt(samples.get(i))));
      }
      Metrics m = s.metrics();
      summary.add(String.join(",", s.section(), quote(s.what()), Integer.toString(s.size()), Long.toString(m.count()),
          fmt(m.wallMillis()), fmt(m.rate()), Long.toString(m.percentile(50)), Long.toString(m.percentile(90)),
          Long.toString(m.percentile(99)), Long.toString(m.max())));
    }
    Files.write(dir.resolve("requests.csv"), requests);
    Files.write(dir.resolve("summary.csv"), summary);
    List<String> scaleRows = new ArrayList<>(List.of(
        "held,rss_mb,heap_mb,reconcile_ms,reconcile_passes,request_p50_ms,request_p99_ms,heap_committed_mb,"
            + "nonheap_committed_mb,threads"));
    for (ScalePoint p : scale) {
      scaleRows.add(String.join(",", Integer.toString(p.held()), fmt(p.rssMb()), fmt(p.heapMb()), fmt(p.reconcileMs()),
          Long.toString(p.reconcilePasses()), Long.toString(p.requests().percentile(50)),
          Long.toString(p.requests().percentile(99)), fmt(p.heapCommittedMb()), fmt(p.nonHeapCommittedMb()),
          fmt(p.threads())));
    }
    Files.write(dir.resolve("scale.csv"), scaleRows);
    List<String> portRows = new ArrayList<>(List.of("what,start_ms,removal_ms,docker_proxies"));
    ports.forEach(p -> portRows.add(String.join(",", quote(p.what()), fmt(p.startMs()), fmt(p.removalMs()),
        Integer.toString(p.proxies()))));
    Files.write(dir.resolve("ports.csv"), portRows);
    List<String> docker = new ArrayList<>(List.of("series,commands,operation,calls_per_command,ms_per_command"));
    for (DockerCost c : dockerCosts) {
      c.perCommand().forEach((op, v) -> docker.add(String.join(",", quote(c.series()), Integer.toString(c.commands()),
          op, fmt(v[0]), fmt(v[1]))));
    }
    Files.write(dir.resolve("docker-calls.csv"), docker);
    List<String> cpu = new ArrayList<>(List.of("series,commands,wall_ms,process,cpu_ms_per_command"));
    for (CpuCost c : cpuCosts) {
      c.perCommand().forEach((part, ms) -> cpu.add(String.join(",", quote(c.series()), Integer.toString(c.commands()),
          fmt(c.wallMs()), part, String.format(Locale.ROOT, "%.3f", ms))));
    }
    Files.write(dir.resolve("cpu.csv"), cpu);
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String quote(String s) {
    return s.contains(",") ? "\"" + s + "\"" : s;
  }
}
