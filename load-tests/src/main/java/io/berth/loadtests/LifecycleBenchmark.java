package io.berth.loadtests;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.berth.events.CloudEvent;
import io.berth.events.Contract;
import io.berth.events.EventCodec;
import io.berth.events.EventData;
import io.berth.events.testing.Examples;
import io.berth.worker.it.BrokerTap;
import io.berth.worker.it.TestBroker;
import io.berth.worker.it.TestDocker;
import io.berth.worker.it.TestLan;
import io.berth.worker.it.WorkerHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Measures what a transcoder's life costs through Berth, on the real broker and Docker, against the raw Docker API
 * doing the same by hand: create+start+ready, crash-to-ContainerCrashed, crash-to-ready-again, release. Figures, not
 * assertions: results go to target/benchmark-results.md (under the working directory) and, by hand, into
 * docs/benchmarks.md.
 *
 * <p>Run (root, Docker and RabbitMQ up, see scripts/setup-infra.sh):
 * {@code mvn -B -q install -DskipTests && mvn -B -q -pl load-tests exec:java}
 */
public final class LifecycleBenchmark {
  private static final int N = Integer.getInteger("berth.bench.transcoders", 20);
  private static final String NETWORK = "berth-test-bench";
  private static final Map<String, Long> arrivals = new ConcurrentHashMap<>();
  private static final Map<String, String> arrivalTypes = new ConcurrentHashMap<>();

  private LifecycleBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<String> report = new ArrayList<>();
    report.add("Measured " + LocalDate.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores, "
        + N + " transcoders each, stand-in image, macvlan on a veth parent. Times in milliseconds.");
    report.add("");
    report.add("| what | n | p50 | p90 | p99 | max |");
    report.add("|---|---|---|---|---|---|");
    TestDocker.removeNetworkAndContainers(NETWORK);
    try (TestLan lan = new TestLan("203.0.113")) {
      rawDocker(lan, report);
      berth(lan, report);
    } finally {
      TestDocker.removeNetworkAndContainers(NETWORK);
    }
    Path out = Path.of("target", "benchmark-results.md");
    Files.createDirectories(out.getParent());
    Files.write(out, report);
    report.forEach(System.out::println);
    System.exit(0); // the worker's and docker-java's threads are not ours to wait for
  }

  /** The baseline: what an operator's script does with docker-java, one transcoder at a time. */
  private static void rawDocker(TestLan lan, List<String> report) throws Exception {
    DockerClient docker = TestDocker.client();
    docker.createNetworkCmd().withName(NETWORK).withDriver("macvlan").withOptions(Map.of("parent", lan.parent()))
        .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(lan.subnet())
            .withGateway(lan.gateway())))
        .withLabels(Map.of(TestDocker.TEST_LABEL, "true")).exec();
    Histogram started = histogram();
    Histogram ready = histogram();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      String ip = lan.address(100 + i);
      long t0 = System.nanoTime();
      String id = docker.createContainerCmd(TestDocker.STANDIN_IMAGE).withName("berth-test-raw-" + i)
          .withLabels(Map.of(TestDocker.TEST_LABEL, "true", "io.berth.network", NETWORK))
          .withEnv("LOCAL_IP=" + ip, "EXTERNAL_IP=" + ip)
          .withHostConfig(HostConfig.newHostConfig().withNetworkMode(NETWORK)).withIpv4Address(ip).exec().getId();
      docker.startContainerCmd(id).exec();
      started.recordValue(millisSince(t0));
      while (!probe(docker, id)) {
        Thread.sleep(20);
      }
      ready.recordValue(millisSince(t0));
      ids.add(id);
    }
    Histogram removed = histogram();
    for (String id : ids) {
      long t0 = System.nanoTime();
      docker.stopContainerCmd(id).withTimeout(3).exec();
      docker.removeContainerCmd(id).exec();
      removed.recordValue(millisSince(t0));
    }
    docker.removeNetworkCmd(NETWORK).exec();
    row(report, "raw Docker API: create + start", started);
    row(report, "raw Docker API: create + start + ready (/rest-api/ answers)", ready);
    row(report, "raw Docker API: stop + remove", removed);
  }

  private static void berth(TestLan lan, List<String> report) throws Exception {
    Map<String, String> env = WorkerHarness.env(lan, NETWORK, "bench-host");
    env.put("BERTH_NETWORK_IP_RANGE", lan.address(64) + "/26");
    env.put("BERTH_RESTART_INITIAL_BACKOFF_MS", "0");
    env.put("BERTH_RESTART_MAX", "1000");
    try (BrokerTap tap = new BrokerTap(); Connection connection = connect(); Channel listener = connection.createChannel();
         WorkerHarness worker = WorkerHarness.start(env)) {
      tap.purgeSharedQueues();
      String queue = listener.queueDeclare("", false, true, true, null).getQueue();
      listener.queueBind(queue, Contract.LIFECYCLE_EXCHANGE, "#");
      EventCodec codec = new EventCodec();
      listener.basicConsume(queue, true, (tag, delivery) -> {
        long now = System.nanoTime();
        try {
          CloudEvent<EventData> event = codec.decode(delivery.getBody());
          String key = event.type() + "/" + transcoderOf(event.data());
          arrivals.put(key, now);
          arrivalTypes.put(key, event.type());
        } catch (Exception ignored) {
          // heartbeats and the like
        }
      }, tag -> { });

      Histogram provisioned = histogram();
      for (int i = 0; i < N; i++) {
        long t0 = System.nanoTime();
        tap.publish(Examples.transcoderRequested("bench", "tx-" + i, "room"));
        provisioned.recordValue(awaitArrival("TranscoderStarted/tx-" + i, t0));
      }
      row(report, "Berth: TranscoderRequested → TranscoderStarted (ready, confirmed), one at a time", provisioned);

      Histogram crashed = histogram();
      Histogram recovered = histogram();
      for (int i = 0; i < N; i++) {
        String id = TestDocker.inspect("berth-bench-tx-" + i).getId();
        long t0 = System.nanoTime();
        TestDocker.client().killContainerCmd(id).withSignal("USR1").exec();
        crashed.recordValue(awaitArrival("ContainerCrashed/tx-" + i, t0));
        recovered.recordValue(awaitArrival("TranscoderRestarted/tx-" + i, t0));
      }
      row(report, "Berth: crash (docker kill) → ContainerCrashed on the broker", crashed);
      row(report, "Berth: crash → TranscoderRestarted (ready again, same address)", recovered);

      Histogram released = histogram();
      for (int i = 0; i < N; i++) {
        long t0 = System.nanoTime();
        tap.publish(Examples.transcoderReleased("bench", "tx-" + i));
        released.recordValue(awaitArrival("TranscoderStopped/tx-" + i, t0));
      }
      row(report, "Berth: TranscoderReleased → TranscoderStopped (removed)", released);

      long burst0 = System.nanoTime();
      for (int i = 0; i < N; i++) {
        tap.publish(Examples.transcoderRequested("bench", "burst-" + i, "room"));
      }
      for (int i = 0; i < N; i++) {
        awaitArrival("TranscoderStarted/burst-" + i, burst0);
      }
      long burstMillis = millisSince(burst0);
      report.add("");
      report.add("Burst: " + N + " requests published at once, all started and ready in " + burstMillis + " ms ("
          + String.format("%.1f", N * 1000.0 / burstMillis) + " transcoders/s, BERTH_CONCURRENCY 8).");
    }
  }

  private static String transcoderOf(EventData data) throws Exception {
    return String.valueOf(data.getClass().getMethod("transcoderId").invoke(data));
  }

  private static long awaitArrival(String key, long since) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      Long at = arrivals.get(key);
      if (at != null && at >= since) {
        arrivals.remove(key);
        return TimeUnit.NANOSECONDS.toMillis(at - since);
      }
      Thread.sleep(1);
    }
    throw new IllegalStateException("no " + key + " within 120 s");
  }

  private static boolean probe(DockerClient docker, String id) throws InterruptedException {
    String exec = docker.execCreateCmd(id).withCmd("sh", "-c", "wget -q -O /dev/null http://127.0.0.1:8081/rest-api/")
        .withAttachStdout(true).exec().getId();
    docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion(5, TimeUnit.SECONDS);
    Long code = docker.inspectExecCmd(exec).exec().getExitCodeLong();
    return code != null && code == 0;
  }

  private static Connection connect() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(TestBroker.amqpUri());
    return factory.newConnection("berth-bench");
  }

  private static Histogram histogram() {
    return new Histogram(TimeUnit.MINUTES.toMillis(5), 3);
  }

  private static long millisSince(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  private static void row(List<String> report, String what, Histogram h) {
    report.add(String.format("| %s | %d | %d | %d | %d | %d |", what, h.getTotalCount(), h.getValueAtPercentile(50),
        h.getValueAtPercentile(90), h.getValueAtPercentile(99), h.getMaxValue()));
  }
}
