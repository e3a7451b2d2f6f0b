package io.berth.worker.it;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import com.rabbitmq.client.GetResponse;
import io.berth.events.CloudEvent;
import io.berth.events.Contract;
import io.berth.events.EventData;
import io.berth.events.TranscoderRequested;
import io.berth.events.testing.Examples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared set-up for worker integration tests: one LAN (veth parent + namespace) and one network name per class, a tap
 * on the broker, and clean-up of every container, network and queue a test made.
 */
abstract class WorkerItSupport {
  static TestLan lan;
  static String network;
  static BrokerTap tap;
  final List<WorkerHarness> workers = new ArrayList<>();
  final List<GetResponse> deadLetters = new ArrayList<>();

  /** Each class gets its own /24 so a leftover of one can never be mistaken for another's. */
  static void setUpLan(String subnetPrefix) throws Exception {
    network = "berth-test-" + UUID.randomUUID().toString().substring(0, 8);
    lan = new TestLan(subnetPrefix);
    tap = new BrokerTap();
  }

  @BeforeAll
  static void defaultLan() throws Exception {
    if (lan == null) {
      setUpLan("198.51.100");
    }
  }

  @AfterAll
  static void tearDownLan() throws Exception {
    TestDocker.removeNetworkAndContainers(network);
    if (lan != null) {
      lan.close();
      lan = null;
    }
    if (tap != null) {
      tap.close();
      tap = null;
    }
  }

  @BeforeEach
  void purge() throws Exception {
    tap.purgeSharedQueues();
    tap.clearEvents();
  }

  @AfterEach
  void stopWorkers() {
    workers.forEach(w -> {
      w.close();
    });
    workers.forEach(w -> tap.deleteQueue(Contract.hostQueue(w.worker().hostId())));
    workers.clear();
    // Tests configure the network differently (range, driver): each starts without one.
    TestDocker.removeNetworkAndContainers(network);
  }

  WorkerHarness startWorker(String hostId) throws Exception {
    return startWorker(WorkerHarness.env(lan, network, hostId));
  }

  WorkerHarness startWorker(Map<String, String> env) throws Exception {
    WorkerHarness worker = WorkerHarness.start(env);
    workers.add(worker);
    return worker;
  }

  static String hostId() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static CloudEvent<TranscoderRequested> request(String tenant, String transcoder, String room) {
    return Examples.transcoderRequested(tenant, transcoder, room);
  }

  /** Containers of this class's network, as Docker reports them. */
  static List<Container> containers() {
    return TestDocker.containersLabelled("io.berth.network", network);
  }

  static List<Container> containersOf(String tenant) {
    return containers().stream().filter(c -> tenant.equals(c.getLabels().get("io.berth.tenant"))).toList();
  }

  /** Waits for the first lifecycle event caused by a command. */
  static CloudEvent<EventData> awaitEventCausedBy(String commandId) {
    return await().atMost(Duration.ofSeconds(60)).until(() -> tap.causedBy(commandId), l -> !l.isEmpty()).get(0);
  }

  List<GetResponse> awaitDeadLetters(int count) {
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      deadLetters.addAll(tap.drainDeadLetters());
      return deadLetters.size() >= count;
    });
    return deadLetters;
  }

  static String header(GetResponse response, String name) {
    Object value = response.getProps().getHeaders() == null ? null : response.getProps().getHeaders().get(name);
    return value == null ? null : value.toString();
  }
}
