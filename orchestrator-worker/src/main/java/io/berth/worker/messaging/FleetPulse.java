package io.berth.worker.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.berth.worker.coordination.HostLease;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hosts' word to each other over the broker, a second path beside etcd. Every worker sends a pulse — its host id,
 * Docker engine, mode and whether it is in contact with etcd — to the fanout exchange {@code berth.fleet}, and hears
 * everyone's (its own included, which proves its own link to the broker).
 *
 * <ul>
 *   <li>Fleet mode: the {@link HostLease.OutageWitness}. A host that lost etcd keeps its transcoders only while it hears,
 *       fresh, from itself and from every host that was live at its last renewal, that they lost etcd too.
 *   <li>Single-host mode: several Docker engines on one broker without etcd cannot be made safe (nothing keeps a
 *       transcoder on one engine). A pulse from another engine in single-host mode makes this worker refuse requests
 *       and say why, loudly.
 * </ul>
 * Internal: not part of the public event contract.
 */
public final class FleetPulse implements HostLease.OutageWitness, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FleetPulse.class);
  public static final String EXCHANGE = "berth.fleet";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param instance this process's own random id: two processes with one host id are twins
   * @param startedAtMs when that process started; of two twins the later one stands down
   * @param silenceMs how long the sender has gone without a confirmed etcd renewal (-1: not in a fleet)
   */
  record Pulse(String hostId, String instance, long startedAtMs, String engineId, String mode, long silenceMs) {}

  private record Heard(Pulse pulse, long atNanos) {}

  private final Connection connection;
  private final Pulse self;
  private final LongSupplier silenceMs;
  private final long freshNanos;
  private final LongSupplier nanoTime = System::nanoTime;
  private final Map<String, Heard> heard = new ConcurrentHashMap<>();
  private final Map<String, Long> foreignEngines = new ConcurrentHashMap<>();
  private volatile HostLease lease;
  private volatile Channel channel;
  private volatile boolean twin;

  /**
   * @param interval how often pulses are sent; a pulse older than three intervals is stale
   * @param silenceMs time since this host's last confirmed etcd renewal (single-host mode: -1)
   */
  public FleetPulse(Connection connection, String hostId, String engineId, String mode, LongSupplier silenceMs,
      Duration interval) {
    this.connection = connection;
    this.self = new Pulse(hostId, java.util.UUID.randomUUID().toString(), System.currentTimeMillis(), engineId, mode,
        -1);
    this.silenceMs = silenceMs;
    this.freshNanos = interval.toNanos() * 3;
  }

  private volatile Runnable onUnsafe = () -> { };

  /** Told at once when this worker becomes unsafe, so intake stops without waiting for its timer. */
  public void onUnsafe(Runnable onUnsafe) {
    this.onUnsafe = onUnsafe;
  }

  public void attach(HostLease lease) {
    this.lease = lease;
  }

  /** Sends this host's pulse; (re)opens the channel and its queue when needed. Runs on a timer. */
  public void beat() {
    try {
      Channel ch = channel();
      Pulse now = new Pulse(self.hostId(), self.instance(), self.startedAtMs(), self.engineId(), self.mode(),
          silenceMs.getAsLong());
      ch.basicPublish(EXCHANGE, "", new AMQP.BasicProperties.Builder().contentType("application/json")
          .expiration(Long.toString(freshNanos / 1_000_000)).build(), JSON.writeValueAsBytes(now));
    } catch (IOException | RuntimeException e) {
      log.warn("fleet pulse not sent: error={}", e.toString());
      close(); // a new channel (and queue) next time; the old one must not linger on the shared connection
      channel = null;
    }
  }

  private synchronized Channel channel() throws IOException {
    Channel ch = channel;
    if (ch != null && ch.isOpen()) {
      return ch;
    }
    ch = connection.createChannel();
    ch.exchangeDeclare(EXCHANGE, "fanout", true);
    String queue = ch.queueDeclare("", false, true, true, Map.of("x-message-ttl", (int) (freshNanos / 1_000_000)))
        .getQueue();
    ch.queueBind(queue, EXCHANGE, "");
    ch.basicConsume(queue, true, (tag, delivery) -> heard(delivery.getBody()), tag -> { });
    channel = ch;
    return ch;
  }

  private void heard(byte[] body) {
    Pulse pulse;
    try {
      pulse = JSON.readValue(body, Pulse.class);
    } catch (IOException e) {
      return; // not a pulse of ours
    }
    if (pulse.hostId().equals(self.hostId()) && !pulse.instance().equals(self.instance())) {
      // Another process with this host id: the later one stands down for good, the earlier one goes on.
      boolean iAmSecond = self.startedAtMs() > pulse.startedAtMs()
          || self.startedAtMs() == pulse.startedAtMs() && self.instance().compareTo(pulse.instance()) > 0;
      if (iAmSecond && !twin) {
        twin = true;
        log.error("UNSAFE: another worker with host id {} is running (engine {}, started at {}); two workers with one "
            + "host id undo each other's work, so this one, started later, takes no commands. Give each worker its "
            + "own BERTH_HOST_ID", self.hostId(), pulse.engineId(), java.time.Instant.ofEpochMilli(pulse.startedAtMs()));
        onUnsafe.run();
      }
      return;
    }
    heard.put(pulse.hostId(), new Heard(pulse, nanoTime.getAsLong()));
    boolean otherEngine = !pulse.engineId().equals(self.engineId());
    if (otherEngine && "single-host".equals(self.mode()) && "single-host".equals(pulse.mode())) {
      Long last = foreignEngines.put(pulse.hostId(), nanoTime.getAsLong());
      if (last == null) {
        log.error("UNSAFE: host {} on another Docker engine ({}) shares this broker without etcd; nothing can keep a "
            + "transcoder on one engine, so this worker takes no requests. Set BERTH_ETCD_ENDPOINTS on every host "
            + "(a fleet), or give each engine its own broker vhost", pulse.hostId(), pulse.engineId());
        onUnsafe.run();
      }
    }
  }

  /**
   * This worker must take no commands: it is the later of two workers with one host id, or (single-host mode) another
   * engine's single-host worker was heard recently.
   */
  public boolean unsafe() {
    long now = nanoTime.getAsLong();
    foreignEngines.values().removeIf(at -> now - at > freshNanos);
    return twin || !foreignEngines.isEmpty();
  }

  @Override
  public boolean etcdDownForAll() {
    HostLease l = lease;
    if (l == null) {
      return false;
    }
    long now = nanoTime.getAsLong();
    Heard own = heard.get(self.hostId());
    if (own == null || now - own.atNanos() > freshNanos) {
      return false; // we cannot even reach the broker: this is our partition
    }
    // A healthy host renews every TTL/4, so it reports a silence under TTL/3 unless a renewal is slow. When this host
    // is at its fence deadline (3·TTL/4 of silence), a peer cut off by the same outage reports at least
    // TTL/2 − TTL/8 (its pulses come every TTL/8). Its reported value is taken as it is, not aged: a peer is judged on
    // what it said. Every peer counts: those live at this host's last renewal and any heard from since.
    long lostAfterMs = l.ttl().toMillis() / 3;
    Set<String> peers = new java.util.HashSet<>(l.lastLiveHosts());
    heard.forEach((host, h) -> {
      if (now - h.atNanos() <= freshNanos && h.pulse().silenceMs() >= 0) {
        peers.add(host);
      }
    });
    for (String peer : peers) {
      if (peer.equals(self.hostId())) {
        continue;
      }
      Heard h = heard.get(peer);
      if (h == null || now - h.atNanos() > freshNanos) {
        return false; // silent on the broker too: it may be this host that is cut off; fence
      }
      if (h.pulse().silenceMs() < 0 || h.pulse().silenceMs() < lostAfterMs) {
        return false; // a peer still reaches etcd: this host is the one cut off; fence
      }
    }
    return true;
  }

  public Set<String> heardFrom() {
    return Set.copyOf(heard.keySet());
  }

  @Override
  public void close() {
    try {
      Channel ch = channel;
      if (ch != null && ch.isOpen()) {
        ch.close();
      }
    } catch (IOException | java.util.concurrent.TimeoutException e) {
      // closing anyway
    }
  }
}
