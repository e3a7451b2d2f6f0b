package io.berth.loadtests.bench;

import io.berth.worker.it.WorkerProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Berth worker: the packaged jar as its own process, started as the image starts it
 * (the Dockerfile's JVM flags, {@code -jar orchestrator-worker.jar worker}), so its RSS and heap are its own and not
 * the benchmark's. Read through its own observability port ({@code /health/ready}, {@code /metrics}) and /proc.
 */
public final class BenchWorker implements AutoCloseable {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)$");
  public static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-Xms32m",
      "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30");

  /** The image's flags, then BERTH_BENCH_JVM_OPTIONS (experiments: a profiler, GC flags), which the report names. */
  static List<String> jvmFlags() {
    String extra = System.getenv("BERTH_BENCH_JVM_OPTIONS");
    List<String> flags = new java.util.ArrayList<>(JVM_FLAGS);
    if (extra != null && !extra.isBlank()) {
      flags.addAll(List.of(extra.trim().split("\\s+")));
    }
    return flags;
  }

  private final Process process;
  private final int httpPort;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Workers still running: a benchmark stopped by a signal ends them in its shutdown hook, not only in close(). */
  private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
        "berth-bench-workers"));
  }

  private BenchWorker(Process process, int httpPort, Path log) {
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
    RUNNING.add(process);
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts the worker and waits until it reports ready (at most 90 s). */
  public static BenchWorker start(Map<String, String> env, Path log) throws Exception {
    Path jar = WorkerProcess.defaultJar();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build first (load-tests/run-benchmark.sh does)");
    }
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags());
    command.addAll(List.of("-jar", jar.toString(), "worker"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    builder.environment().putAll(env);
    BenchWorker worker = new BenchWorker(builder.start(), Integer.parseInt(env.get("BERTH_HTTP_PORT")), log);
    try {
      worker.awaitReady(Duration.ofSeconds(90));
    } catch (RuntimeException e) {
      worker.close();
      throw e;
    }
    return worker;
  }

  private void awaitReady(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the worker exited with " + process.exitValue() + "; see " + log);
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/health/ready")).timeout(Duration.ofSeconds(2))
            .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      BerthDriver.sleep(200);
    }
    throw new IllegalStateException("the worker did not report ready within " + within + "; see " + log);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + httpPort + path);
  }

  public long pid() {
    return process.pid();
  }

  /** Resident set size of the worker process, bytes (VmRSS). */
  public long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the worker's /proc status", e);
    }
    throw new IllegalStateException("no VmRSS for the worker");
  }

  /** A full GC in the worker (jcmd), so the heap figure that follows is what it holds, not what it has not collected. */
  public void collectGarbage() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.run").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      // no jcmd in this runtime: the heap figure is then as found
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The worker's /metrics, as name{labels} → value. */
  public Map<String, Double> scrape() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/metrics")).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString());
      Map<String, Double> samples = new HashMap<>();
      for (String line : r.body().split("\n")) {
        Matcher m = SAMPLE.matcher(line.strip());
        if (!line.startsWith("#") && m.matches()) {
          try {
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
          } catch (NumberFormatException ignored) {
            // NaN and the like are parsed by Double; anything else is not a sample
          }
        }
      }
      return samples;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the worker's /metrics", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sum of every sample of a metric whose labels contain all the given fragments. */
  public static double sum(Map<String, Double> samples, String name, String... labelFragments) {
    double total = 0;
    for (Map.Entry<String, Double> e : samples.entrySet()) {
      String key = e.getKey();
      if (!(key.equals(name) || key.startsWith(name + "{"))) {
        continue;
      }
      boolean all = true;
      for (String f : labelFragments) {
        all &= key.contains(f);
      }
      if (all) {
        total += e.getValue();
      }
    }
    return total;
  }

  /** Heap in use, bytes (jvm_memory_used_bytes, area heap). */
  public static double heapUsed(Map<String, Double> samples) {
    return sum(samples, "jvm_memory_used_bytes", "area=\"heap\"");
  }

  /** SIGTERM, as docker stop sends it; SIGKILL when it has not exited in 30 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      RUNNING.remove(process);
    }
  }
}
