package io.berth.loadtests.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.berth.events.CloudEvent;
import io.berth.events.Contract;
import io.berth.worker.config.EnvConfigLoader;
import io.berth.events.EventCodec;
import io.berth.events.RoomClosed;
import io.berth.events.TranscoderReleased;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import io.berth.events.TranscoderStopped;
import io.berth.worker.it.TestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 9's benchmark, one run against the host's own limits: provisioning bursts and a steady rate through Berth
 * beside the raw Docker API and a {@code docker run} shell loop, teardown and a room close of SIGTERM-ignoring
 * stand-ins, duplicate and no-op commands against the broker's own limit, published port ranges against a static
 * address, and the worker's memory, reconcile time and per-request latency while it holds more and more. Writes raw
 * CSV, PNG charts and docs/BENCHMARKS.md. Run with load-tests/run-benchmark.sh (builds, takes the shared lock).
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
    description = "Berth against the host's limits (issue 9): results in CSV, PNG charts and docs/BENCHMARKS.md")
public final class Benchmark implements Callable<Integer> {
  static final String TENANT = "bench";
  static final String HOST_ID = "bench-host";
  private static final Pattern OPERATION = Pattern.compile("operation=\"([^\"]+)\"");
  static final int DEFAULT_PREFETCH = EnvConfigLoader.DEFAULT_PREFETCH;

  @Option(names = "--sizes", split = ",", description = "burst sizes (default 30,100,250; the lab holds at most "
      + BenchLab.CAPACITY + ")")
  List<Integer> sizes;
  @Option(names = "--concurrency", description = "the worker's BERTH_CONCURRENCY and the raw API baseline's (default:"
      + " the worker's default here, twice the cores, 2 to 16)")
  Integer concurrency;
  @Option(names = "--prefetch", defaultValue = "" + EnvConfigLoader.DEFAULT_PREFETCH,
      description = "the worker's BERTH_PREFETCH, and the broker baseline consumer's (default ${DEFAULT-VALUE}, the worker's default)")
  int prefetch;
  @Option(names = "--host-prefetch", defaultValue = "" + EnvConfigLoader.DEFAULT_HOST_PREFETCH,
      description = "the worker's BERTH_HOST_PREFETCH (the host queue's: the no-op releases), and the broker baseline"
          + " consumer's (default ${DEFAULT-VALUE}, the worker's default)")
  int hostPrefetch;
  @Option(names = "--shell-concurrency", defaultValue = "4", description = "xargs -P of the docker run loop")
  int shellConcurrency;
  @Option(names = "--out", defaultValue = "load-tests/target/benchmark", description = "CSV, charts and the worker log")
  Path out;
  @Option(names = "--doc", description = "the report (default docs/BENCHMARKS.md; with --quick <out>/BENCHMARKS.md)")
  Path doc;
  @Option(names = "--quick", description = "tiny sizes, under two minutes: checks the runner, measures nothing")
  boolean quick;
  @Option(names = "--steady-count", description = "requests at the steady rate (default 40)")
  Integer steadyCount;
  @Option(names = "--steady-rate", description = "requests per second (default: half the Berth burst rate of the"
      + " smallest burst, well below capacity)")
  Double steadyRate;
  @Option(names = "--hold", split = ",", description = "transcoders held while measuring memory and reconcile"
      + " (default 50,100,250)")
  List<Integer> holds;
  @Option(names = "--readiness", defaultValue = "shim", description = "shim: BERTH_NETWORK_HOST_SHIM set, readiness by"
      + " HTTP from the worker (its default then); exec: no shim, readiness by exec in the container (default"
      + " ${DEFAULT-VALUE})")
  BenchLab.Readiness readiness;
  @Option(names = "--duplicates", description = "duplicate requests of held transcoders (default 200)")
  Integer duplicates;
  @Option(names = "--noops", description = "releases of transcoders nobody holds (default 10000, after a warm-up batch of up to 5000)")
  Integer noops;
  @Option(names = "--broker-messages", description = "messages of the broker's own limit (default 20000)")
  Integer brokerMessages;
  @Option(names = "--port-ranges", split = ",", description = "published ranges (default 30000-30300,30000-31000)")
  List<String> portRanges;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;
  private final Results results = new Results();
  /** The worker running now (0: none): its CPU is counted apart from the rest. */
  private long workerPid;
  private final EventCodec codec = new EventCodec();
  private Path root;

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    int code = new CommandLine(new Benchmark()).execute(args);
    System.exit(code); // docker-java's and the AMQP client's threads are not ours to wait for
  }

  private void defaults() {
    concurrency = concurrency != null ? concurrency : EnvConfigLoader.DEFAULT_CONCURRENCY;
    sizes = cap(sizes != null ? sizes : quick ? List.of(3, 5) : List.of(30, 100, BenchLab.CAPACITY));
    holds = cap(holds != null ? holds : quick ? List.of(3, 6) : List.of(50, 100, BenchLab.CAPACITY));
    steadyCount = steadyCount != null ? steadyCount : quick ? 5 : 40;
    duplicates = duplicates != null ? duplicates : quick ? 20 : 200;
    noops = noops != null ? noops : quick ? 50 : 10000;
    brokerMessages = brokerMessages != null ? brokerMessages : quick ? 2000 : 20000;
    portRanges = portRanges != null ? portRanges : quick ? List.of("30000-30005", "30000-30010")
        : List.of("30000-30300", "30000-31000");
    root = checkoutRoot();
    out = out.isAbsolute() ? out : root.resolve(out);
    doc = doc != null ? doc.toAbsolutePath() : quick ? out.resolve("BENCHMARKS.md") : root.resolve("docs/BENCHMARKS.md");
  }

  private static List<Integer> cap(List<Integer> values) {
    for (int v : values) {
      if (v < 2 || v > BenchLab.CAPACITY) {
        throw new CommandLine.ParameterException(new CommandLine(new Benchmark()), "sizes are 2.." + BenchLab.CAPACITY
            + " (the lab's /24 less network, gateway, host shim, LAN client and broadcast addresses), got " + v);
      }
    }
    return values.stream().distinct().sorted().toList();
  }

  /** The checkout's root: where docs/ and load-tests/ are, from the root or from load-tests. */
  static Path checkoutRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("docs")) && Files.isDirectory(dir.resolve("load-tests"))) {
        return dir;
      }
    }
    return Path.of("").toAbsolutePath();
  }

  @Override
  public Integer call() throws Exception {
    defaults();
    Files.createDirectories(out);
    long t0 = System.nanoTime();
    List<String> arguments = spec.commandLine().getParseResult().originalArgs();
    results.command = "load-tests/run-benchmark.sh" + (arguments.isEmpty() ? "" : " " + String.join(" ", arguments));
    Machine.describe(results);
    results.settings.put("burst sizes", sizes.toString());
    results.settings.put("held", holds.toString());
    results.settings.put("concurrency", "BERTH_CONCURRENCY=" + concurrency + ", raw API " + concurrency
        + ", shell loop xargs -P " + shellConcurrency);
    Path workerLog = out.resolve("worker.log");
    Files.deleteIfExists(workerLog);
    try (BenchLab lab = new BenchLab(); BerthDriver driver = new BerthDriver(TestBroker.amqpUri())) {
      Thread cleanUp = new Thread(lab::close, "berth-bench-cleanup"); // Ctrl-C: remove what the run made
      Runtime.getRuntime().addShutdownHook(cleanUp);
      driver.purge(Contract.REQUESTS_QUEUE);
      driver.purge(Contract.hostQueue(HOST_ID));
      Map<String, String> env = lab.workerEnv(HOST_ID, BenchWorker.freePort(), readiness);
      env.put("BERTH_CONCURRENCY", Integer.toString(concurrency));
      env.put("BERTH_PREFETCH", Integer.toString(prefetch));
      env.put("BERTH_HOST_PREFETCH", Integer.toString(hostPrefetch));
      results.prefetch = prefetch;
      results.hostPrefetch = hostPrefetch;
      results.settings.put("readiness", readiness == BenchLab.Readiness.shim
          ? "shim: BERTH_NETWORK_HOST_SHIM=" + lab.shimAddress() + ", so the worker probes by HTTP from its own macvlan"
              + " interface (`--readiness shim`)"
          : "exec: no host shim, the worker's exec probe in each container (`--readiness exec`)");
      results.settings.put("worker", "the jar as its own process (java " + String.join(" ", BenchWorker.jvmFlags())
          + "), BERTH_PREFETCH " + prefetch + (prefetch == DEFAULT_PREFETCH ? " (the default)" : "") + ", BERTH_HOST_PREFETCH "
          + hostPrefetch + (hostPrefetch == EnvConfigLoader.DEFAULT_HOST_PREFETCH ? " (the default)" : "") + ", BERTH_MAX_TRANSCODERS " + env.get("BERTH_MAX_TRANSCODERS")
          + ", 0.25 CPU / 64 MB per container, stop timeout " + env.get("BERTH_STOP_TIMEOUT_SECONDS") + " s");
      try (BenchWorker worker = BenchWorker.start(env, workerLog)) {
        workerPid = worker.pid();
        Map<String, Double> cpu = CpuMeter.snapshot(workerPid);
        long t = System.nanoTime();
        results.brokerRate = brokerLimit(driver.connection(), brokerMessages);
        cpu(Results.BROKER_SERIES, brokerMessages, cpu, t);
        for (int size : sizes) {
          rawApi(lab, size);
          shellLoop(lab, size);
          berthBurst(lab, driver, worker, size);
        }
        steady(lab, driver, worker);
      }
      // Memory and reconcile time per held count: passes every 2 s, so each level shows several. The duplicates are
      // measured (default settings, a pass every 30 s; a restarted worker adopts what runs) at the largest level that
      // leaves at least a prefetch of free slots: the requests queue's prefetch is min(BERTH_PREFETCH, free slots).
      Map<String, String> scaleEnv = new HashMap<>(env);
      scaleEnv.put("BERTH_RECONCILE_SECONDS", "2");
      int slots = Integer.parseInt(env.get("BERTH_MAX_TRANSCODERS"));
      int dupLevel = holds.stream().filter(h -> slots - h >= prefetch).reduce((a, b) -> b).orElse(holds.get(0));
      List<String> held = new ArrayList<>();
      try (BenchWorker worker = BenchWorker.start(scaleEnv, workerLog)) {
        scale(driver, worker, held, holds.stream().filter(h -> h <= dupLevel).toList());
      }
      try (BenchWorker worker = BenchWorker.start(env, workerLog)) {
        workerPid = worker.pid();
        results.duplicatesHeld = held.size();
        results.duplicatesPrefetch = Math.min(prefetch, Math.max(1, slots - held.size()));
        results.settings.put("duplicates", f("while holding %d of %d slots: the requests queue's prefetch in effect"
            + " min(BERTH_PREFETCH %d, %d free) = %d", held.size(), slots, prefetch, slots - held.size(),
            results.duplicatesPrefetch));
        controlPlane(driver, worker, held);
      }
      List<Integer> rest = holds.stream().filter(h -> h > dupLevel).toList();
      if (!rest.isEmpty()) {
        try (BenchWorker worker = BenchWorker.start(scaleEnv, workerLog)) {
          scale(driver, worker, held, rest);
        }
      }
      List<String> strays = lab.strays();
      if (!strays.isEmpty()) {
        results.incomplete.merge("containers on the shim's or the LAN client's address " + strays, strays.size(),
            Integer::sum);
      }
      try (BenchWorker worker = BenchWorker.start(env, workerLog)) {
        roomClose(lab, driver, held, Integer.parseInt(env.get("BERTH_STOP_TIMEOUT_SECONDS")));
        berthSingles(lab, driver);
      }
      portRanges();
      Runtime.getRuntime().removeShutdownHook(cleanUp);
    }
    results.durationSeconds = (System.nanoTime() - t0) / 1e9;
    Machine.after(results);
    results.writeCsv(out);
    Path charts = quick ? out : doc.getParent().resolve("benchmarks");
    Charts.write(results, charts);
    Files.createDirectories(doc.getParent());
    Files.writeString(doc, new Report(results, doc.getParent().relativize(charts)).markdown());
    System.out.println(Report.summary(results));
    System.out.println("CSV and charts: " + out + (quick ? "" : ", " + charts) + "; report: " + doc);
    return results.incomplete.isEmpty() ? 0 : 2;
  }

  /** CPU per command of the series that began at {@code since} with {@code before}, by process. */
  private void cpu(String series, int commands, Map<String, Double> before, long since) {
    results.cpuCosts.add(new Results.CpuCost(series, commands, Metrics.millisSince(since),
        CpuMeter.perCommand(before, CpuMeter.snapshot(workerPid), commands)));
  }

  static ProgressBar bar(String task, long max) {
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250).setConsumer(new ConsoleProgressBarConsumer(System.err)).continuousUpdate()
        .build();
  }

  /** A plain publisher with confirms and a consumer with acks (the worker's prefetch) on a quorum queue. */
  private double brokerLimit(Connection connection, int n) throws Exception {
    String queue = "berth-test-bench-broker-" + UUID.randomUUID().toString().substring(0, 6);
    byte[] body = codec.encode(release("ghost-0"));
    try (Channel publisher = connection.createChannel(); Channel consumer = connection.createChannel();
         ProgressBar pb = bar("broker's own limit", n)) {
      publisher.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
      try {
        consumer.basicQos(hostPrefetch); // as the worker consumes its host queue, where the no-ops go
        CountDownLatch latch = new CountDownLatch(n);
        consumer.basicConsume(queue, false, (tag, d) -> {
          consumer.basicAck(d.getEnvelope().getDeliveryTag(), false);
          latch.countDown();
        }, tag -> { });
        publisher.confirmSelect();
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType(Contract.CONTENT_TYPE)
            .deliveryMode(2).build();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          publisher.basicPublish("", queue, props, body);
          if (i % 200 == 199) {
            publisher.waitForConfirmsOrDie(30_000);
            pb.stepTo(n - latch.getCount());
          }
        }
        publisher.waitForConfirmsOrDie(30_000);
        if (!latch.await(120, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the broker did not deliver " + n + " messages in 120 s");
        }
        pb.stepTo(n);
        double wall = Metrics.millisSince(t0);
        return n * 1000.0 / wall;
      } finally {
        publisher.queueDelete(queue);
      }
    }
  }

  private void rawApi(BenchLab lab, int size) throws Exception {
    Metrics up = results.add(Results.BURST, Results.RAW, size);
    List<String> ids;
    Map<String, Double> cpu = CpuMeter.snapshot(workerPid);
    long t = System.nanoTime();
    try (ProgressBar pb = bar("raw API create+start " + size, size)) {
      ids = RawDocker.createStart(lab, size, concurrency, up, pb::stepTo);
    }
    cpu("raw API burst " + size, size, cpu, t);
    Metrics down = results.add(Results.TEARDOWN, Results.RAW, size);
    try (ProgressBar pb = bar("raw API stop+remove " + size, size)) {
      RawDocker.stopRemove(ids, concurrency, down, pb::stepTo);
    }
    lab.awaitEmpty();
  }

  private void shellLoop(BenchLab lab, int size) throws Exception {
    Metrics up = results.add(Results.BURST, Results.SHELL, size);
    List<String> names;
    Map<String, Double> cpu = CpuMeter.snapshot(workerPid);
    long t = System.nanoTime();
    try (ProgressBar pb = bar("docker run loop " + size, size)) {
      names = RawDocker.shellRun(lab, size, shellConcurrency, up, pb::stepTo);
    }
    cpu("shell loop burst " + size, size, cpu, t);
    Metrics down = results.add(Results.TEARDOWN, Results.SHELL, size);
    try (ProgressBar pb = bar("docker rm -f loop " + size, size)) {
      RawDocker.shellRemove(names, shellConcurrency, down, pb::stepTo);
    }
    lab.awaitEmpty();
  }

  private void berthBurst(BenchLab lab, BerthDriver driver, BenchWorker worker, int size) throws Exception {
    List<CloudEvent<TranscoderRequested>> requests = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      requests.add(request("b" + size + "-" + i, "room-b" + size, null));
    }
    Map<String, Double> before = worker.scrape();
    Map<String, Double> cpu = CpuMeter.snapshot(workerPid);
    long t = System.nanoTime();
    timedBatch("Berth burst " + size, driver, requests, TranscoderStarted.class,
        results.add(Results.BURST, Results.BERTH, size));
    cpu("Berth burst " + size, size, cpu, t);
    results.dockerCosts.add(dockerCost("Berth burst " + size, size, before, worker.scrape()));
    List<CloudEvent<TranscoderReleased>> releases = requests.stream()
        .map(r -> release(r.data().transcoderId())).toList();
    before = worker.scrape();
    timedBatch("Berth teardown " + size, driver, releases, TranscoderStopped.class,
        results.add(Results.TEARDOWN, Results.BERTH, size));
    lab.awaitEmpty(); // the removal follows the event: counted with it
    results.dockerCosts.add(dockerCost("Berth teardown " + size, size, before, worker.scrape()));
  }

  /** Publishes every command at once, then times each from its publish to its event; the wall ends at the last. */
  private <T extends io.berth.events.CommandData> void timedBatch(String task, BerthDriver driver,
      List<CloudEvent<T>> commands, Class<? extends io.berth.events.EventData> type, Metrics metrics) throws Exception {
    List<String> ids = commands.stream().map(CloudEvent::id).toList();
    try (ProgressBar pb = bar(task, commands.size())) {
      long t0 = System.nanoTime();
      for (CloudEvent<T> c : commands) {
        driver.publish(c);
      }
      driver.confirmed();
      driver.await(ids, type, Duration.ofSeconds(60 + 2L * commands.size()), pb::stepTo);
      record(task, driver, ids, type, metrics, t0);
    }
  }

  private void record(String task, BerthDriver driver, List<String> ids,
      Class<? extends io.berth.events.EventData> type, Metrics metrics, long t0) {
    long last = t0;
    int missing = 0;
    for (String id : ids) {
      long at = driver.firstArrival(id, type);
      if (at < 0) {
        missing++;
        continue;
      }
      metrics.record((at - driver.publishedAt(id)) / 1e6);
      last = Math.max(last, at);
    }
    metrics.wall((last - t0) / 1e6);
    if (missing > 0) {
      results.incomplete.merge(task, missing, Integer::sum);
    }
  }

  /** Requests at a fixed rate, each timed from publish to TranscoderStarted; then released. */
  private void steady(BenchLab lab, BerthDriver driver, BenchWorker worker) throws Exception {
    double rate = steadyRate != null ? steadyRate
        : Math.max(0.5, results.find(Results.BURST, Results.BERTH, sizes.get(0)).orElseThrow().rate() / 2);
    results.steadyRate = rate;
    Metrics metrics = results.add(Results.STEADY, Results.BERTH, steadyCount);
    List<CloudEvent<TranscoderRequested>> requests = new ArrayList<>();
    for (int i = 0; i < steadyCount; i++) {
      requests.add(request("s-" + i, "room-steady", null));
    }
    List<String> ids = requests.stream().map(CloudEvent::id).toList();
    Map<String, Double> before = worker.scrape();
    try (ProgressBar pb = bar(String.format(java.util.Locale.ROOT, "steady %.2f/s", rate), steadyCount)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < steadyCount; i++) {
        long due = t0 + Math.round(i * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        driver.publish(requests.get(i));
        driver.confirmed();
        pb.stepTo(i);
      }
      driver.await(ids, TranscoderStarted.class, Duration.ofSeconds(60), pb::stepTo);
      record("steady", driver, ids, TranscoderStarted.class, metrics, t0);
    }
    results.dockerCosts.add(dockerCost("steady", steadyCount, before, worker.scrape()));
    List<CloudEvent<TranscoderReleased>> releases = requests.stream()
        .map(r -> release(r.data().transcoderId())).toList();
    timedBatch("steady: release", driver, releases, TranscoderStopped.class, new Metrics());
    lab.awaitEmpty();
  }

  /**
   * Fills the host level by level with SIGTERM-ignoring stand-ins in one room; the last few requests of each level go
   * one at a time (the per-request latency while holding that many). Then reconcile passes, memory after a full GC.
   */
  private void scale(BerthDriver driver, BenchWorker worker, List<String> held, List<Integer> levels)
      throws Exception {
    int probes = quick ? 1 : 5;
    for (int level : levels) {
      List<CloudEvent<TranscoderRequested>> fill = new ArrayList<>();
      while (held.size() + fill.size() < level - probes) {
        fill.add(request("h-" + (held.size() + fill.size()), "room-hold", BenchLab.STUBBORN_IMAGE));
      }
      timedBatch("fill to " + (level - probes), driver, fill, TranscoderStarted.class, new Metrics());
      fill.forEach(r -> held.add(r.data().transcoderId()));
      Metrics perRequest = results.add(Results.SCALE, Results.BERTH, level);
      Map<String, Double> beforeProbes = worker.scrape();
      int probed = level - held.size();
      while (held.size() < level) {
        CloudEvent<TranscoderRequested> r = request("h-" + held.size(), "room-hold", BenchLab.STUBBORN_IMAGE);
        driver.publish(r);
        driver.confirmed();
        driver.await(List.of(r.id()), TranscoderStarted.class, Duration.ofSeconds(60), n -> { });
        long at = driver.firstArrival(r.id(), TranscoderStarted.class);
        if (at < 0) {
          results.incomplete.merge("scale " + level, 1, Integer::sum);
        } else {
          perRequest.record((at - driver.publishedAt(r.id())) / 1e6);
        }
        held.add(r.data().transcoderId());
      }
      Map<String, Double> before = worker.scrape();
      results.dockerCosts.add(dockerCost("one request holding " + level, probed, beforeProbes, before));
      double passesBefore = before.getOrDefault("berth_reconcile_pass_seconds_count", 0.0);
      Map<String, Double> after = before;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      try (ProgressBar pb = bar("reconcile passes holding " + level, 3)) {
        while (System.nanoTime() < deadline
            && after.getOrDefault("berth_reconcile_pass_seconds_count", 0.0) < passesBefore + 3) {
          BerthDriver.sleep(250);
          after = worker.scrape();
          pb.stepTo((long) (after.getOrDefault("berth_reconcile_pass_seconds_count", 0.0) - passesBefore));
        }
      }
      double passes = after.getOrDefault("berth_reconcile_pass_seconds_count", 0.0) - passesBefore;
      double seconds = after.getOrDefault("berth_reconcile_pass_seconds_sum", 0.0)
          - before.getOrDefault("berth_reconcile_pass_seconds_sum", 0.0);
      worker.collectGarbage();
      Map<String, Double> memory = worker.scrape();
      results.scale.add(new Results.ScalePoint(level, worker.rssBytes() / 1048576.0,
          BenchWorker.heapUsed(memory) / 1048576.0, passes > 0 ? seconds * 1000 / passes : 0, (long) passes,
          perRequest, BenchWorker.sum(memory, "jvm_memory_committed_bytes", "area=\"heap\"") / 1048576.0,
          BenchWorker.sum(memory, "jvm_memory_committed_bytes", "area=\"nonheap\"") / 1048576.0,
          BenchWorker.sum(memory, "jvm_threads_live_threads")));
    }
  }

  /** Duplicates of held transcoders (each answered by TranscoderStarted again), then releases nobody holds. */
  private void controlPlane(BerthDriver driver, BenchWorker worker, List<String> held) throws Exception {
    List<CloudEvent<TranscoderRequested>> dups = new ArrayList<>();
    for (int i = 0; i < duplicates; i++) {
      dups.add(request(held.get(i % held.size()), "room-hold", BenchLab.STUBBORN_IMAGE));
    }
    Map<String, Double> before = worker.scrape();
    Map<String, Double> cpu = CpuMeter.snapshot(workerPid);
    long t = System.nanoTime();
    timedBatch("duplicate requests", driver, dups, TranscoderStarted.class,
        results.add(Results.CONTROL, "duplicate requests", duplicates));
    cpu("duplicate request", duplicates, cpu, t);
    results.dockerCosts.add(dockerCost("duplicate request", duplicates, before, worker.scrape()));
    // Where a duplicate's time goes: the same duplicates again, with thread dumps of the worker (in its log) every
    // 200 ms; this batch's figures are not reported, since a dump stops the worker's threads for a moment.
    List<CloudEvent<TranscoderRequested>> sampled = new ArrayList<>();
    for (CloudEvent<TranscoderRequested> d : dups) {
      sampled.add(request(d.data().transcoderId(), "room-hold", BenchLab.STUBBORN_IMAGE));
    }
    Files.writeString(out.resolve("worker.log"), "=== berth-bench: sampled duplicates begin\n",
        java.nio.file.StandardOpenOption.APPEND, java.nio.file.StandardOpenOption.CREATE);
    ThreadSampler sampler = new ThreadSampler(worker.pid(), 200);
    try {
      timedBatch("duplicates, thread dumps", driver, sampled, TranscoderStarted.class, new Metrics());
    } finally {
      sampler.close();
    }
    Files.writeString(out.resolve("worker.log"), "=== berth-bench: sampled duplicates end\n",
        java.nio.file.StandardOpenOption.APPEND, java.nio.file.StandardOpenOption.CREATE);
    results.duplicateThreadDumps = sampler.samples();

    // A worker just started compiles its hot paths while the first thousands of commands run: a warm-up batch first,
    // not in the figures, so the measured one is the worker's steady rate.
    noOps(driver, worker, "no-op releases, warm-up", "warm-", Math.min(noops, 5000), new Metrics(), false);
    Metrics noop = results.add(Results.CONTROL, "no-op releases", noops);
    noOps(driver, worker, "no-op releases", "", noops, noop, true);
  }

  /** Releases of transcoders nobody holds, timed from the first publish until the worker has acked them all. */
  private void noOps(BerthDriver driver, BenchWorker worker, String task, String prefix, int count, Metrics noop,
      boolean report) throws Exception {
    String queue = Contract.hostQueue(HOST_ID);
    Map<String, Double> before = worker.scrape();
    double ackedBefore = releasesAcked(before);
    try (ProgressBar pb = bar(task, count)) {
      long t0 = System.nanoTime();
      Map<String, Double> cpu = CpuMeter.snapshot(workerPid);
      for (int i = 0; i < count; i++) {
        driver.publish(release("ghost-" + prefix + i));
        if (i % 200 == 199) {
          driver.confirmed();
        }
      }
      driver.confirmed();
      // The queue's ready count is cheap to poll; once it is 0, at most a prefetch is in the worker's hands, and the
      // worker's own count of acked releases says when those are done too.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      long depth;
      while ((depth = driver.queueDepth(queue)) != 0 && System.nanoTime() < deadline) {
        pb.stepTo(count - Math.max(0, depth));
        BerthDriver.sleep(10);
      }
      double acked;
      while ((acked = releasesAcked(worker.scrape()) - ackedBefore) < count && System.nanoTime() < deadline) {
        BerthDriver.sleep(5);
      }
      noop.wall(Metrics.millisSince(t0));
      if (report) {
        cpu("no-op release", count, cpu, t0);
      }
      pb.stepTo(count);
      if (acked < count) {
        results.incomplete.merge(task, (int) (count - acked), Integer::sum);
      }
    }
    // The rate is the batch over its drain time; the histogram holds the mean per command for the summary.
    for (int i = 0; i < count; i++) {
      noop.record(noop.wallMillis() / count);
    }
    if (report) {
      results.dockerCosts.add(dockerCost("no-op release", count, before, worker.scrape()));
    }
  }

  private static double releasesAcked(Map<String, Double> metrics) {
    return BenchWorker.sum(metrics, "berth_commands_total", "type=\"TranscoderReleased\"", "outcome=\"acked\"");
  }

  /** One RoomClosed for every held (SIGTERM-ignoring) transcoder: each stop waits out the stop timeout. */
  private void roomClose(BenchLab lab, BerthDriver driver, List<String> held, int stopTimeout) throws Exception {
    CloudEvent<RoomClosed> close = CloudEvent.command(UUID.randomUUID().toString(), "urn:berth:bench", Instant.now(),
        new RoomClosed(TENANT, "room-hold"));
    Metrics metrics = results.add(Results.ROOM_CLOSE, Results.BERTH, held.size());
    try (ProgressBar pb = bar("room close of " + held.size(), held.size())) {
      long t0 = driver.publish(close);
      driver.confirmed();
      long within = 120 + (long) Math.ceil(held.size() / (double) concurrency) * (stopTimeout + 5);
      int done = driver.awaitMany(close.id(), TranscoderStopped.class, held.size(), Duration.ofSeconds(within),
          pb::stepTo);
      long last = t0;
      for (BerthDriver.Arrival a : driver.causedBy(close.id())) {
        if (a.data() instanceof TranscoderStopped) {
          metrics.record((a.nanos() - t0) / 1e6);
          last = Math.max(last, a.nanos());
        }
      }
      metrics.wall((last - t0) / 1e6);
      results.roomCloseSize = held.size();
      results.roomCloseSeconds = (last - t0) / 1e9;
      results.settings.put("room close", "stop timeout " + stopTimeout + " s, BERTH_CONCURRENCY " + concurrency);
      if (done < held.size()) {
        results.incomplete.merge("room close", held.size() - done, Integer::sum);
      }
    }
    lab.awaitEmpty();
  }

  /** Berth's start and removal of one transcoder at a static address, one at a time: the port-range chart's baseline. */
  private void berthSingles(BenchLab lab, BerthDriver driver) throws Exception {
    int samples = quick ? 1 : 3;
    Metrics up = new Metrics();
    Metrics down = new Metrics();
    for (int i = 0; i < samples; i++) {
      CloudEvent<TranscoderRequested> r = request("single-" + i, "room-single", null);
      timedBatch("Berth single start", driver, List.of(r), TranscoderStarted.class, up);
      timedBatch("Berth single removal", driver, List.of(release(r.data().transcoderId())), TranscoderStopped.class,
          down);
    }
    results.ports.add(new Results.PortRow("Berth, static address (macvlan)", up.percentile(50), down.percentile(50),
        0));
    lab.awaitEmpty();
  }

  private void portRanges() throws Exception {
    try (ProgressBar pb = bar("published port ranges", portRanges.size())) {
      int i = 0;
      for (String range : portRanges) {
        double[] t = RawDocker.portRange(range, i++);
        results.ports.add(new Results.PortRow("docker run -p " + range + "/udp", t[0], t[1], (int) t[2]));
        pb.stepTo(i);
      }
    }
  }

  /**
   * Docker calls per command between two scrapes of the worker's {@code berth_docker_calls_seconds}, less the
   * reconcile passes' lists in between (one list each).
   */
  static Results.DockerCost dockerCost(String name, int commands, Map<String, Double> before,
      Map<String, Double> after) {
    Map<String, double[]> per = new java.util.TreeMap<>();
    for (Map.Entry<String, Double> e : after.entrySet()) {
      if (!e.getKey().startsWith("berth_docker_calls_seconds_count{")) {
        continue;
      }
      Matcher m = OPERATION.matcher(e.getKey());
      if (!m.find() || m.group(1).equals("subscribe")) {
        continue;
      }
      String sumKey = e.getKey().replace("_count{", "_sum{");
      double calls = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
      double seconds = after.getOrDefault(sumKey, 0.0) - before.getOrDefault(sumKey, 0.0);
      if (m.group(1).equals("list")) {
        double passes = after.getOrDefault("berth_reconcile_pass_seconds_count", 0.0)
            - before.getOrDefault("berth_reconcile_pass_seconds_count", 0.0);
        double passSeconds = after.getOrDefault("berth_reconcile_pass_seconds_sum", 0.0)
            - before.getOrDefault("berth_reconcile_pass_seconds_sum", 0.0);
        calls -= passes;
        seconds = Math.max(0, seconds - passSeconds);
      }
      if (calls / commands >= 0.05) { // a call now and then (a pass, a check) is not the command's
        per.put(m.group(1), new double[] {calls / commands, seconds * 1000 / commands});
      }
    }
    return new Results.DockerCost(name, commands, per);
  }

  static String f(String format, Object... args) {
    return String.format(java.util.Locale.ROOT, format, args);
  }

  static CloudEvent<TranscoderRequested> request(String transcoder, String room, String image) {
    return CloudEvent.command(UUID.randomUUID().toString(), "urn:berth:bench", Instant.now(),
        new TranscoderRequested(TENANT, transcoder, room, image, null));
  }

  static CloudEvent<TranscoderReleased> release(String transcoder) {
    return CloudEvent.command(UUID.randomUUID().toString(), "urn:berth:bench", Instant.now(),
        new TranscoderReleased(TENANT, transcoder));
  }
}
