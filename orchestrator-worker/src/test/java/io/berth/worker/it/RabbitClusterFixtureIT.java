package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cluster fixture does what the chaos tests will rely on, without Docker and without the machine's broker: three
 * clustered nodes, a quorum queue replicated on them, a consumer (set up as the worker sets up its connection) that
 * moves to another node when its node is killed mid-stream with no confirmed message lost, and the killed node back
 * in the cluster afterwards. Prints what it measured ({@code [rabbit-cluster-it]} lines).
 */
class RabbitClusterFixtureIT {
  private static final String QUEUE = "berth-test-cluster-stream";
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int BEFORE_KILL = 300;
  private static final int AFTER_RECOVERY = 300;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void aConsumerMovesToAnotherNodeWhenItsNodeIsKilledAndNoConfirmedMessageIsLost() throws Exception {
    long t0 = System.nanoTime();
    try (TestRabbitCluster cluster = TestRabbitCluster.up()) {
      report("up took %d ms", millisSince(t0));
      List<String> allNodes = IntStream.rangeClosed(1, TestRabbitCluster.NODES)
          .mapToObj(TestRabbitCluster::nodeName).toList();
      assertThat(cluster.runningNodes()).containsExactlyInAnyOrderElementsOf(allNodes);

      // as the worker sets up its connections (Worker.java): automatic recovery, heartbeat 30 s, default 5 s
      // recovery interval, the URI for credentials and the cluster's addresses for the nodes
      ConnectionFactory factory = new ConnectionFactory();
      factory.setUri(cluster.amqpUri());
      factory.setAutomaticRecoveryEnabled(true);
      factory.setRequestedHeartbeat(30);

      try (Connection admin = factory.newConnection("berth-test-cluster-admin");
           Channel channel = admin.createChannel()) {
        assertThat(admin.getPort()).as("declared through node 1").isEqualTo(cluster.port(1));
        channel.queueDeclare(QUEUE, true, false, false, Map.of("x-queue-type", "quorum"));
      }
      QueueMembers declared = members(cluster, 1);
      report("quorum queue declared: leader %s, members %s", declared.leader(), declared.members());
      assertThat(declared.members()).containsExactlyInAnyOrderElementsOf(allNodes);

      Set<String> consumed = ConcurrentHashMap.newKeySet();
      AtomicLong recoveredAt = new AtomicLong();
      AtomicLong firstDeliveryAfterRecovery = new AtomicLong();
      Set<Integer> portsDeliveredOn = ConcurrentHashMap.newKeySet();
      Connection consumerConnection = factory.newConnection(cluster.addressList(), "berth-test-cluster-consumer");
      ((Recoverable) consumerConnection).addRecoveryListener(new RecoveryListener() {
        @Override
        public void handleRecovery(Recoverable recoverable) {
          recoveredAt.compareAndSet(0, System.nanoTime());
        }

        @Override
        public void handleRecoveryStarted(Recoverable recoverable) {}
      });
      Channel consumerChannel = consumerConnection.createChannel();
      consumerChannel.basicQos(100);
      consumerChannel.basicConsume(QUEUE, false, "berth-test-cluster-consumer", new DefaultConsumer(consumerChannel) {
        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
            throws IOException {
          consumed.add(properties.getMessageId());
          portsDeliveredOn.add(consumerConnection.getPort());
          if (recoveredAt.get() != 0) {
            firstDeliveryAfterRecovery.compareAndSet(0, System.nanoTime());
          }
          getChannel().basicAck(envelope.getDeliveryTag(), false);
        }
      });

      Publisher publisher = new Publisher(cluster.amqpUri(), cluster.addressList(),
          new Address(TestRabbitCluster.HOST, consumerConnection.getPort()));
      Thread publishing = new Thread(publisher, "berth-test-cluster-publisher");
      publishing.start();
      int victim;
      try {
        awaitOrDiagnose(() -> consumed.size() >= BEFORE_KILL, () -> String.format(
            "consumed=%d; publisher confirmed=%d retries=%d nacks=%d last error=%s", consumed.size(),
            publisher.confirmed.size(), publisher.retries, publisher.nacks, publisher.lastError));

        victim = cluster.nodeOfPort(consumerConnection.getPort());
        int survivor = victim == 1 ? 2 : 1;
        String leader = members(cluster, victim).leader();
        int confirmedAtKill = publisher.confirmed.size();
        report("killing node %d (the consumer's and the publisher's; queue leader %s), %d confirmed, %d consumed so"
            + " far", victim, leader, confirmedAtKill, consumed.size());
        long killedAt = System.nanoTime();
        cluster.kill(victim);
        report("kill took %d ms", millisSince(killedAt));

        awaitOrDiagnose(() -> firstDeliveryAfterRecovery.get() != 0, () -> String.format(
            "recovered=%s consumer port=%d open=%s consumed=%d; publisher confirmed=%d retries=%d node=%d; %s",
            recoveredAt.get() != 0, consumerConnection.getPort(), consumerConnection.isOpen(), consumed.size(),
            publisher.confirmed.size(), publisher.retries, publisher.node(cluster),
            cluster.ctl(survivor, "list_queues", "-q", "name", "leader",
                "online", "messages", "consumers") + "\n" + cluster.ctl(survivor, "list_consumers", "-q")));
        report("consumer: connection recovered %d ms after the kill, first delivery after recovery at %d ms, now on"
            + " node %d", TimeUnit.NANOSECONDS.toMillis(recoveredAt.get() - killedAt),
            TimeUnit.NANOSECONDS.toMillis(firstDeliveryAfterRecovery.get() - killedAt),
            cluster.nodeOfPort(consumerConnection.getPort()));
        assertThat(consumerConnection.getPort()).as("the consumer recovered onto another node")
            .isNotEqualTo(cluster.port(victim));
        QueueMembers afterKill = members(cluster, survivor);
        report("quorum queue after the kill: leader %s, online %s", afterKill.leader(), afterKill.online());
        assertThat(afterKill.leader()).isNotEqualTo(TestRabbitCluster.nodeName(victim));

        awaitOrDiagnose(() -> publisher.confirmed.size() >= confirmedAtKill + AFTER_RECOVERY, () -> String.format(
            "publisher confirmed=%d retries=%d nacks=%d node=%d last error=%s; thread %s",
            publisher.confirmed.size(), publisher.retries, publisher.nacks, publisher.node(cluster), publisher.lastError,
            Arrays.toString(publishing.getStackTrace()).replace(", ", "\n  ")));
      } finally {
        publisher.stop = true;
        publishing.join(30_000);
      }
      report("publisher: %d confirmed, %d publishes retried (%d of them nacked), longest gap between confirms %d ms",
          publisher.confirmed.size(), publisher.retries, publisher.nacks,
          TimeUnit.NANOSECONDS.toMillis(publisher.longestGap));
      assertThat(publisher.failure).as("publisher thread").isNull();
      await().atMost(WAIT).untilAsserted(() -> {
        Set<String> missing = new HashSet<>(publisher.confirmed);
        missing.removeAll(consumed);
        assertThat(missing).as("confirmed but never consumed").isEmpty();
      });
      assertThat(portsDeliveredOn).as("ports the consumer got deliveries on").hasSizeGreaterThanOrEqualTo(2);
      consumerConnection.abort();

      assertThat(cluster.runningNodes()).doesNotContain(TestRabbitCluster.nodeName(victim));
      long startedAt = System.nanoTime();
      cluster.start(victim);
      report("start %d took %d ms (booted and running in the cluster)", victim, millisSince(startedAt));
      assertThat(cluster.runningNodes()).containsExactlyInAnyOrderElementsOf(allNodes);
      int back = victim;
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
          .until(() -> members(cluster, back).online().size() == TestRabbitCluster.NODES);
      report("quorum queue: all %d members online %d ms after start began; leader %s", TestRabbitCluster.NODES,
          millisSince(startedAt), members(cluster, back).leader());
    }
    assertThat(Path.of("/tmp/berth-rabbit-cluster")).as("down removes the cluster's state").doesNotExist();
  }

  /** Awaits {@code condition}; on timeout the failure says what {@code state} shows then. */
  private static void awaitOrDiagnose(Callable<Boolean> condition, Supplier<String> state) {
    try {
      await().atMost(WAIT).until(condition);
    } catch (ConditionTimeoutException e) {
      String seen;
      try {
        seen = state.get();
      } catch (RuntimeException diagnosisFailed) {
        seen = "(state not readable: " + diagnosisFailed + ")";
      }
      throw new AssertionError(e.getMessage() + "\n" + seen, e);
    }
  }

  private record QueueMembers(String leader, List<String> members, List<String> online) {}

  /** The quorum queue's leader and members, as node {@code node} reports them. */
  private static QueueMembers members(TestRabbitCluster cluster, int node) throws Exception {
    for (JsonNode q : new ObjectMapper().readTree(cluster.ctl(node, "list_queues", "-q", "--formatter", "json",
        "name", "leader", "members", "online"))) {
      if (QUEUE.equals(q.path("name").asText())) {
        return new QueueMembers(q.path("leader").asText(), texts(q.path("members")), texts(q.path("online")));
      }
    }
    throw new IllegalStateException(QUEUE + " not listed by node " + node);
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  private static void report(String format, Object... args) {
    System.out.println("[rabbit-cluster-it] " + String.format(format, args));
  }

  /**
   * Publishes m-0, m-1, ... one at a time with publisher confirms, each until it is confirmed: a failed publish, a
   * nack or a confirm that does not come within 5 s is retried (on a new connection, to whichever node answers), so
   * a message may be published twice but every confirmed one is in the queue.
   */
  private static final class Publisher implements Runnable {
    final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    private final ConnectionFactory factory = new ConnectionFactory();
    private final List<Address> addresses;
    private final Address first;
    volatile boolean stop;
    volatile int retries;
    volatile int nacks;
    volatile long longestGap;
    volatile Throwable failure;
    volatile Exception lastError;
    volatile Connection connection;

    Publisher(String uri, List<Address> addresses, Address first) throws Exception {
      factory.setUri(uri);
      // this loop reconnects itself, so that a failure is seen where it happens
      factory.setAutomaticRecoveryEnabled(false);
      factory.setRequestedHeartbeat(30);
      this.addresses = addresses;
      this.first = first;
    }

    int node(TestRabbitCluster cluster) {
      Connection c = connection;
      return c == null ? 0 : cluster.nodeOfPort(c.getPort());
    }

    @Override
    public void run() {
      Channel channel = null;
      long lastConfirm = System.nanoTime();
      int next = 0;
      try {
        while (!stop) {
          String id = "m-" + next;
          try {
            if (channel == null || !channel.isOpen()) {
              closeQuietly();
              // first on the consumer's node (so the kill hits both), after a failure on whichever node answers
              connection = factory.newConnection(retries == 0 ? List.of(first) : addresses,
                  "berth-test-cluster-publisher");
              channel = connection.createChannel();
              channel.confirmSelect();
            }
            channel.basicPublish("", QUEUE, new AMQP.BasicProperties.Builder().messageId(id).deliveryMode(2).build(),
                id.getBytes(StandardCharsets.UTF_8));
            if (!channel.waitForConfirms(5_000)) {
              // RabbitMQ 3.10: a channel that first published to the quorum queue while its leader was being elected
              // may nack every later publish to it; a new channel does not (docs/RELIABILITY.md)
              nacks++;
              throw new IOException("nacked");
            }
            long now = System.nanoTime();
            longestGap = Math.max(longestGap, now - lastConfirm);
            lastConfirm = now;
            confirmed.add(id);
            next++;
          } catch (Exception e) {
            lastError = e;
            failed();
            channel = null;
            Thread.sleep(200);
          }
        }
      } catch (Throwable t) {
        failure = t;
      } finally {
        closeQuietly();
      }
    }

    private void failed() {
      retries++;
    }

    private void closeQuietly() {
      Connection c = connection;
      if (c != null) {
        c.abort(1_000);
      }
    }
  }
}
