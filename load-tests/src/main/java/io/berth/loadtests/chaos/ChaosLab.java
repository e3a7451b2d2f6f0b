package io.berth.loadtests.chaos;

import com.github.dockerjava.api.model.Container;
import io.berth.events.CloudEvent;
import io.berth.events.CommandData;
import io.berth.events.TranscoderReleased;
import io.berth.events.TranscoderRequested;
import io.berth.worker.it.TestBroker;
import io.berth.worker.it.TestDocker;
import io.berth.worker.it.TestLan;
import io.berth.worker.it.WorkerHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * One chaos run's surroundings: a LAN of its own (veth parent, a namespace as LAN client), a Docker network name, the
 * {@link Ledger}, and the workers started for it; everything is removed on {@link #close}. Also the counting that
 * every scenario shares: terminal events per command, containers per transcoder, slots per worker.
 */
public final class ChaosLab implements AutoCloseable {
  /** Docker calls that change something: a rejection must make none of them. */
  public static final List<String> MUTATING_CALLS = List.of("create", "start", "stop", "remove", "restart", "exec",
      "ensureNetwork");

  private final TestLan lan;
  private final String network;
  private final Ledger ledger;
  private final List<WorkerHarness> workers = new ArrayList<>();
  /** Every worker's host queue, deleted at the end: each takes a copy of every broadcast command. */
  private final Set<String> hostQueues = new HashSet<>();

  public ChaosLab(String subnetPrefix) throws Exception {
    this(subnetPrefix, TestBroker.amqpUri(), List.of());
  }

  /** A lab on another broker (a cluster's nodes). */
  public ChaosLab(String subnetPrefix, String amqpUri, List<com.rabbitmq.client.Address> nodes) throws Exception {
    // A lab killed half-way leaves its network, whose subnet would make the next lab's network clash.
    TestDocker.client().listNetworksCmd().exec().stream().map(n -> n.getName())
        .filter(name -> name.startsWith("berth-test-chaos-")).forEach(TestDocker::removeNetworkAndContainers);
    TestDocker.client().listNetworksCmd().exec().stream()
        .filter(n -> n.getName().startsWith("berth-test-chaos-") && n.getIpam() != null && n.getIpam().getConfig()
            .stream().anyMatch(c -> (subnetPrefix + ".0/24").equals(c.getSubnet())))
        .findAny().ifPresent(n -> {
          throw new IllegalStateException("Docker network " + n.getName() + " (" + subnetPrefix + ".0/24) is left from"
              + " an earlier run and cannot be removed (a stale endpoint: restarting dockerd fixes it)");
        });
    this.network = "berth-test-chaos-" + UUID.randomUUID().toString().substring(0, 6);
    this.lan = new TestLan(subnetPrefix);
    this.ledger = new Ledger(amqpUri, nodes);
  }

  public TestLan lan() {
    return lan;
  }

  public String network() {
    return network;
  }

  public Ledger ledger() {
    return ledger;
  }

  /** A worker's environment on this lab's LAN: range .128-.191 (62 addresses), room for a few hundred commands. */
  public Map<String, String> env(String hostId) throws Exception {
    Map<String, String> env = WorkerHarness.env(lan, network, hostId);
    env.put("BERTH_NETWORK_IP_RANGE", lan.address(128) + "/26");
    env.put("BERTH_MAX_TRANSCODERS", "60");
    env.put("BERTH_STOP_TIMEOUT_SECONDS", "2");
    return env;
  }

  public WorkerHarness startWorker(Map<String, String> env) throws Exception {
    WorkerHarness worker = WorkerHarness.start(env);
    workers.add(worker);
    hostQueues.add(io.berth.events.Contract.hostQueue(worker.worker().hostId()));
    return worker;
  }

  public void stopWorker(WorkerHarness worker) {
    worker.close();
    workers.remove(worker);
  }

  public static CloudEvent<TranscoderRequested> request(String tenant, String transcoder) {
    return CloudEvent.command(UUID.randomUUID().toString(), "urn:berth:chaos", Instant.now(),
        new TranscoderRequested(tenant, transcoder, "room-" + transcoder.hashCode() % 4, null, null));
  }

  public static CloudEvent<TranscoderReleased> release(String tenant, String transcoder) {
    return CloudEvent.command(UUID.randomUUID().toString(), "urn:berth:chaos", Instant.now(),
        new TranscoderReleased(tenant, transcoder));
  }

  /** Containers of a tenant on this lab's network, whatever their state. */
  public List<Container> containersOf(String tenant) {
    return TestDocker.containersLabelled("io.berth.network", network).stream()
        .filter(c -> tenant.equals(c.getLabels().get("io.berth.tenant"))).toList();
  }

  /** Waits (bounded) until every command has a terminal event or was dead-lettered; false on time-out. */
  public boolean awaitSettled(Collection<? extends CloudEvent<? extends CommandData>> commands, Duration within) {
    return waitFor(within, () -> commands.stream().allMatch(c -> !ledger.causedBy(c.id()).stream()
        .filter(e -> Ledger.isTerminal(e.data())).toList().isEmpty() || !ledger.deadLettersMentioning(c.id()).isEmpty()));
  }

  public static boolean waitFor(Duration within, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Ledger.sleepQuietly(Duration.ofMillis(200));
    }
    return condition.getAsBoolean();
  }

  /**
   * The counts every scenario reports. {@code mustAnswer} (requests) each owe exactly one terminal event;
   * {@code mayAnswer} (releases, room closes) at most one: a host that holds nothing for them acks without an event
   * (the release overtook its request, which then ends as {@code cancelled}). Lost means confirmed by the broker and
   * neither answered nor dead-lettered; for releases, a container left behind shows as an orphan instead.
   */
  public Counts count(String tenant, Collection<? extends CloudEvent<? extends CommandData>> mustAnswer,
      Collection<? extends CloudEvent<? extends CommandData>> mayAnswer, Set<String> shouldRun,
      Collection<WorkerHarness> inProcessWorkers) {
    Set<String> must = new HashSet<>();
    mustAnswer.forEach(c -> must.add(c.id()));
    Set<String> may = new HashSet<>();
    mayAnswer.forEach(c -> may.add(c.id()));
    Set<String> all = new HashSet<>(must);
    all.addAll(may);
    Map<String, Integer> terminal = ledger.terminalCounts(all);
    long missing = 0;
    long duplicate = 0;
    long lost = 0;
    for (String id : all) {
      int n = terminal.get(id);
      if (n > 1) {
        duplicate++;
        if (duplicate <= 3) {
          StringBuilder d = new StringBuilder();
          ledger.causedBy(id).stream().filter(e -> Ledger.isTerminal(e.data()))
              .forEach(e -> d.append(e.data()).append(" @").append(e.time()).append("; "));
          System.out.println("[chaos] duplicate terminal events of " + id + ": " + d);
        }
      }
      if (n == 0 && must.contains(id)) {
        missing++;
        if (ledger.deadLettersMentioning(id).isEmpty()) {
          lost++;
        }
      }
    }
    // Removal follows the confirmed TranscoderStopped: give it a moment before counting containers.
    waitFor(Duration.ofSeconds(20), () -> containerCounts(tenant).keySet().equals(shouldRun));
    Map<String, Integer> perTranscoder = containerCounts(tenant);
    long duplicateContainers = perTranscoder.values().stream().filter(n -> n > 1).count();
    Set<String> orphans = new HashSet<>(perTranscoder.keySet());
    orphans.removeAll(shouldRun);
    Set<String> absent = new HashSet<>(shouldRun);
    absent.removeAll(perTranscoder.keySet());
    long leaks = 0;
    for (WorkerHarness w : inProcessWorkers) {
      String host = w.worker().hostId();
      waitFor(Duration.ofSeconds(20), () -> w.worker().capacity().held() == heldBy(host));
      leaks += Math.abs(w.worker().capacity().held() - heldBy(host));
    }
    return new Counts(all.size(), lost, missing, duplicate, duplicateContainers, orphans.size() + absent.size(), leaks);
  }

  /** Slots a worker process reports in its heartbeat against the containers it holds (a process has no handle). */
  public long heartbeatLeak(String host) {
    io.berth.events.WorkerHeartbeat[] last = new io.berth.events.WorkerHeartbeat[1];
    waitFor(Duration.ofSeconds(20), () -> {
      last[0] = ledger.events(io.berth.events.WorkerHeartbeat.class, h -> host.equals(h.hostId())).stream()
          .reduce((a, b) -> b).orElse(null);
      return last[0] != null && last[0].running() == heldBy(host);
    });
    return last[0] == null ? 1 : Math.abs(last[0].running() - heldBy(host));
  }

  private long heldBy(String host) {
    return TestDocker.containersLabelled("io.berth.network", network).stream()
        .filter(c -> host.equals(c.getLabels().get("io.berth.host"))).count();
  }

  private Map<String, Integer> containerCounts(String tenant) {
    Map<String, Integer> counts = new HashMap<>();
    for (Container c : containersOf(tenant)) {
      counts.merge(c.getLabels().get("io.berth.transcoder"), 1, Integer::sum);
    }
    return counts;
  }

  /** What {@link #count} found. */
  public record Counts(long commands, long lost, long missingTerminal, long duplicateTerminal,
      long duplicateContainers, long orphans, long leaks) {

    public ChaosResult result(String scenario, String injected, String load, long violations, String notes,
        String reproduce) {
      return new ChaosResult(scenario, injected, load, commands, lost, missingTerminal, duplicateTerminal,
          duplicateContainers, orphans, leaks, violations, notes, reproduce);
    }
  }

  @Override
  public void close() throws Exception {
    for (WorkerHarness w : List.copyOf(workers)) {
      w.close();
    }
    workers.clear();
    TestDocker.removeNetworkAndContainers(network);
    lan.close();
    ledger.close(hostQueues);
  }
}
