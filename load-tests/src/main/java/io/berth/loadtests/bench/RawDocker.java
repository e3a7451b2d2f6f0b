package io.berth.loadtests.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import io.berth.worker.it.TestDocker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * The baselines Berth is held against, on the same network, image, limits and addresses: the Docker Engine API
 * driven by hand (docker-java create + start with a static IP, at Berth's concurrency), and what operators script
 * today ({@code docker run -d --ip} from a shell loop, {@code xargs -P 4}).
 */
public final class RawDocker {
  /** The per-container limits the worker sets (BenchLab's environment). */
  static final double CPUS = 0.25;
  static final long MEMORY_MB = 64;

  private RawDocker() {}

  /** Creates and starts {@code n} stand-ins at {@code concurrency}; returns their ids. */
  public static List<String> createStart(BenchLab lab, int n, int concurrency, Metrics metrics, IntConsumer progress)
      throws Exception {
    DockerClient docker = TestDocker.client();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<String>> futures = new ArrayList<>();
      long t0 = System.nanoTime();
      int[] done = {0};
      for (int i = 0; i < n; i++) {
        String ip = lab.address(i);
        String name = "berth-test-bench-raw-" + i;
        futures.add(pool.submit(() -> {
          long s = System.nanoTime();
          String id = docker.createContainerCmd(TestDocker.STANDIN_IMAGE).withName(name)
              .withLabels(lab.labels("raw-api"))
              .withEnv("LOCAL_IP=" + ip, "EXTERNAL_IP=" + ip)
              .withHostConfig(HostConfig.newHostConfig().withNetworkMode(lab.network())
                  .withNanoCPUs(Math.round(CPUS * 1e9)).withMemory(MEMORY_MB * 1024 * 1024))
              .withIpv4Address(ip).exec().getId();
          docker.startContainerCmd(id).exec();
          metrics.record(Metrics.millisSince(s));
          synchronized (done) {
            progress.accept(++done[0]);
          }
          return id;
        }));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> f : futures) {
        ids.add(f.get());
      }
      metrics.wall(Metrics.millisSince(t0));
      return ids;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Stops (SIGTERM, 3 s timeout as the worker's) and removes each container at {@code concurrency}. */
  public static void stopRemove(List<String> ids, int concurrency, Metrics metrics, IntConsumer progress)
      throws Exception {
    DockerClient docker = TestDocker.client();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<?>> futures = new ArrayList<>();
      long t0 = System.nanoTime();
      int[] done = {0};
      for (String id : ids) {
        futures.add(pool.submit(() -> {
          long s = System.nanoTime();
          docker.stopContainerCmd(id).withTimeout(3).exec();
          docker.removeContainerCmd(id).exec();
          metrics.record(Metrics.millisSince(s));
          synchronized (done) {
            progress.accept(++done[0]);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      metrics.wall(Metrics.millisSince(t0));
    } finally {
      pool.shutdownNow();
    }
  }

  /** {@code docker run -d} for each address from a shell loop at {@code concurrency} (xargs -P); returns names. */
  public static List<String> shellRun(BenchLab lab, int n, int concurrency, Metrics metrics, IntConsumer progress)
      throws Exception {
    StringBuilder labels = new StringBuilder();
    lab.labels("shell-loop").forEach((k, v) -> labels.append(" --label ").append(k).append('=').append(v));
    String run = "docker run -d --name berth-test-bench-sh-$1 --network " + lab.network() + " --ip $2"
        + " --cpus " + CPUS + " -m " + MEMORY_MB + "m -e LOCAL_IP=$2 -e EXTERNAL_IP=$2" + labels + " "
        + TestDocker.STANDIN_IMAGE + " >/dev/null";
    List<String> lines = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(i + " " + lab.address(i));
      names.add("berth-test-bench-sh-" + i);
    }
    shellLoop(lines, run, concurrency, metrics, progress);
    return names;
  }

  /** {@code docker rm -f} for each name from a shell loop at {@code concurrency}. */
  public static void shellRemove(List<String> names, int concurrency, Metrics metrics, IntConsumer progress)
      throws Exception {
    List<String> lines = names.stream().map(name -> name + " -").toList();
    shellLoop(lines, "docker rm -f $1 >/dev/null", concurrency, metrics, progress);
  }

  /** Runs {@code command} (with $1 $2 from each line) under xargs -P; each job prints its own start and end. */
  private static void shellLoop(List<String> lines, String command, int concurrency, Metrics metrics,
      IntConsumer progress) throws Exception {
    String job = "s=$(date +%s%N); " + command + " && echo ok $s $(date +%s%N)";
    ProcessBuilder pb = new ProcessBuilder("bash", "-c",
        "xargs -P " + concurrency + " -L 1 bash -c '" + job.replace("'", "'\\''") + "' job")
        .redirectErrorStream(true);
    long t0 = System.nanoTime();
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    int done = 0;
    List<String> errors = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        String[] f = line.split(" ");
        if (f.length == 3 && f[0].equals("ok")) {
          metrics.record((Long.parseLong(f[2]) - Long.parseLong(f[1])) / 1e6);
          progress.accept(++done);
        } else {
          errors.add(line);
        }
      }
    }
    int exit = p.waitFor();
    metrics.wall(Metrics.millisSince(t0));
    if (exit != 0 || done != lines.size()) {
      throw new IllegalStateException("shell loop: " + done + " of " + lines.size() + " done, exit " + exit + ": "
          + String.join(" | ", errors.subList(0, Math.min(3, errors.size()))));
    }
  }

  /** {@code docker run -d} of one stand-in publishing {@code ports} (udp), timed; then {@code docker rm -f}, timed. */
  public static double[] portRange(String ports, int index) throws Exception {
    String name = "berth-test-bench-ports-" + index;
    long s = System.nanoTime();
    run("docker", "run", "-d", "--name", name, "--label", "io.berth.test=true", "--label", BenchLab.BENCH_LABEL + "=true",
        "-p", ports + ":" + ports + "/udp", TestDocker.STANDIN_IMAGE);
    double start = Metrics.millisSince(s);
    long proxies = dockerProxies();
    s = System.nanoTime();
    run("docker", "rm", "-f", name);
    double removal = Metrics.millisSince(s);
    return new double[] {start, removal, proxies};
  }

  /** docker-proxy processes running now (the userland proxy starts one per published port). */
  static long dockerProxies() {
    try (var procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
      return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
        try {
          return java.nio.file.Files.readString(p.resolve("comm")).strip().equals("docker-proxy");
        } catch (Exception gone) {
          return false;
        }
      }).count();
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
    }
  }

}
