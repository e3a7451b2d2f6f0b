package io.berth.loadtests.chaos;

import io.berth.events.CloudEvent;
import io.berth.events.CommandData;
import io.berth.worker.it.WorkerHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 1: the broker goes away in the middle of a stream of requests and releases, and again in the middle of a
 * burst of releases. Either RabbitMQ itself restarts ({@code rabbitmqctl stop_app; start_app}: every connection dies
 * and the queues go offline for the pause) or only the worker's connections are force-closed
 * ({@code rabbitmqctl close_connection}).
 */
public final class BrokerFaults implements Scenario {
  private static final int WINDOW = 15; // each request is released again WINDOW requests later

  public enum Fault { RESTART, CLOSE_CONNECTIONS }

  private final Fault fault;

  public BrokerFaults(Fault fault) {
    this.fault = fault;
  }

  @Override
  public String name() {
    return fault == Fault.RESTART ? "broker-restart" : "connections-closed";
  }

  @Override
  public ChaosResult run(Size size) throws Exception {
    int requests = size.of(40);
    String tenant = "chaos-" + (fault == Fault.RESTART ? "restart" : "close");
    try (ChaosLab lab = new ChaosLab("198.51.100")) {
      String host = "chaos-" + UUID.randomUUID().toString().substring(0, 6);
      WorkerHarness worker = lab.startWorker(lab.env(host));
      List<CloudEvent<? extends CommandData>> commands = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<CloudEvent<? extends CommandData>> releasesSent = new java.util.concurrent.CopyOnWriteArrayList<>();
      AtomicInteger published = new AtomicInteger();
      CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
        for (int i = 0; i < requests; i++) {
          CloudEvent<? extends CommandData> r = ChaosLab.request(tenant, "tx-" + i);
          commands.add(r);
          lab.ledger().publish(r);
          if (i >= WINDOW) {
            CloudEvent<? extends CommandData> rel = ChaosLab.release(tenant, "tx-" + (i - WINDOW));
            releasesSent.add(rel);
            lab.ledger().publish(rel);
          }
          published.incrementAndGet();
          Ledger.sleepQuietly(Duration.ofMillis(50));
        }
      });
      ChaosLab.waitFor(Duration.ofMinutes(2), () -> published.get() >= requests / 3);
      long firstRecovery = inject(host, lab, () -> settled(lab, commands));
      stream.join();
      lab.awaitSettled(commands, Duration.ofMinutes(5));
      ChaosLab.waitFor(Duration.ofMinutes(2), () -> lab.containersOf(tenant).size() <= WINDOW);

      // A burst of releases of what is left, with the fault again in its middle.
      List<CloudEvent<? extends CommandData>> burst = new ArrayList<>();
      for (int i = requests - WINDOW; i < requests; i++) {
        burst.add(ChaosLab.release(tenant, "tx-" + i));
      }
      CompletableFuture<Void> releases = CompletableFuture.runAsync(() -> burst.forEach(lab.ledger()::publish));
      ChaosLab.waitFor(Duration.ofMinutes(1), () -> burst.stream().filter(c -> !lab.ledger().causedBy(c.id())
          .isEmpty()).count() >= 3);
      // each of these releases finds its transcoder running: each owes a TranscoderStopped
      long secondRecovery = inject(host, lab, () -> burst.stream().allMatch(c -> lab.ledger().causedBy(c.id())
          .stream().anyMatch(e -> Ledger.isTerminal(e.data()))));
      releases.join();
      releasesSent.addAll(burst);
      lab.awaitSettled(commands, Duration.ofMinutes(5));
      ChaosLab.waitFor(Duration.ofMinutes(2), () -> lab.containersOf(tenant).isEmpty());

      ChaosLab.Counts counts = lab.count(tenant, commands, releasesSent, Set.of(), List.of(worker));
      return counts.result(name(), fault == Fault.RESTART
              ? "`rabbitmqctl stop_app`, 5 s, `start_app`: mid-stream and mid-release-burst"
              : "`rabbitmqctl close_connection` of both worker connections, twice 3 s apart: mid-stream and mid-burst",
          requests + " requests and " + requests + " releases at 20/s, then a burst of " + WINDOW + " releases", 0,
          "first event after the fault: " + firstRecovery + " ms and " + secondRecovery + " ms; "
              + lab.ledger().duplicatesDelivered() + " events delivered twice (same id)",
          ChaosRunner.command(name(), size));
    }
  }

  /** Injects the fault; returns ms from its end to the next terminal event the ledger receives. */
  private long inject(String host, ChaosLab lab, java.util.function.BooleanSupplier settled) throws Exception {
    if (fault == Fault.RESTART) {
      Broker.restart(Duration.ofSeconds(5));
    } else {
      Broker.closeWorkerConnections(host);
      Ledger.sleepQuietly(Duration.ofSeconds(3));
      Broker.closeWorkerConnections(host);
    }
    long end = System.nanoTime();
    int before = terminalEvents(lab); // what arrives from here on was answered after the fault
    if (settled.getAsBoolean()) {
      return 0; // everything was answered before the fault ended: nothing to wait for
    }
    ChaosLab.waitFor(Duration.ofMinutes(2), () -> terminalEvents(lab) > before || settled.getAsBoolean());
    return (System.nanoTime() - end) / 1_000_000;
  }

  private static int terminalEvents(ChaosLab lab) {
    return (int) lab.ledger().events().stream().filter(e -> Ledger.isTerminal(e.data())).count();
  }

  /** Every command so far has its answer (a release that found nothing to do has none: it counts as answered). */
  private static boolean settled(ChaosLab lab, List<CloudEvent<? extends CommandData>> commands) {
    return commands.stream().allMatch(c -> c.type().equals("TranscoderReleased") || lab.ledger().causedBy(c.id())
        .stream().anyMatch(e -> Ledger.isTerminal(e.data())));
  }
}
