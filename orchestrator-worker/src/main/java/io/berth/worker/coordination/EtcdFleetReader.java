package io.berth.worker.coordination;

import static io.berth.worker.coordination.Etcd.await;
import static io.berth.worker.coordination.Etcd.bytes;
import static io.berth.worker.coordination.Etcd.text;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link FleetReader} on etcd: lists the keys {@link EtcdCoordination} writes ({@code hosts/}, {@code owners/},
 * {@code transcoders/}, {@code intents/}, {@code config/network}) and writes nothing.
 */
public final class EtcdFleetReader implements FleetReader {
  private final Client client;
  private final KV kv;
  private final String prefix;

  private EtcdFleetReader(Client client, String prefix) {
    this.client = client;
    this.kv = client.getKVClient();
    this.prefix = prefix;
  }

  /** Connects lazily: the first {@link #read()} says whether etcd answers. */
  public static EtcdFleetReader connect(List<URI> endpoints, String prefix) {
    return new EtcdFleetReader(Client.builder()
        .endpoints(endpoints.toArray(URI[]::new))
        .connectTimeout(Duration.ofSeconds(2))
        .retryMaxDuration(Duration.ofSeconds(2))
        .build(), prefix);
  }

  @Override
  public FleetSnapshot read() {
    List<FleetSnapshot.Member> hosts = new ArrayList<>();
    for (KeyValue kvp : list("/hosts/")) {
      HostLease.HostRecord record = IntentBook.decode(text(kvp.getValue()), HostLease.HostRecord.class);
      hosts.add(new FleetSnapshot.Member(record.hostId(), record.engineId(), record.since(), secondsLeft(kvp)));
    }
    hosts.sort(Comparator.comparing(FleetSnapshot.Member::hostId));

    Map<String, String> owners = new TreeMap<>();
    list("/owners/").forEach(kvp -> owners.put(after("/owners/", kvp), text(kvp.getValue())));
    Map<String, KeptTranscoder> kept = new LinkedHashMap<>();
    list("/transcoders/").forEach(kvp -> kept.put(after("/transcoders/", kvp),
        IntentBook.decode(text(kvp.getValue()), KeptTranscoder.class)));
    Set<String> crashLooped = new HashSet<>();
    list("/intents/crash-loop/").forEach(kvp -> crashLooped.add(after("/intents/crash-loop/", kvp)));
    Set<String> suspended = new HashSet<>();
    list("/intents/suspension/").forEach(kvp -> {
      if (IntentBook.decode(text(kvp.getValue()), IntentBook.Suspension.class).suspended()) {
        suspended.add(after("/intents/suspension/", kvp));
      }
    });

    Set<String> keys = new java.util.TreeSet<>(owners.keySet());
    keys.addAll(kept.keySet());
    List<FleetSnapshot.Placement> placements = new ArrayList<>();
    for (String key : keys) {
      int slash = key.indexOf('/');
      String tenant = key.substring(0, slash);
      KeptTranscoder spec = kept.get(key);
      placements.add(new FleetSnapshot.Placement(tenant, key.substring(slash + 1),
          spec == null ? null : spec.roomId(), spec == null ? null : spec.address(), owners.get(key),
          spec == null ? null : spec.hostId(), spec != null, crashLooped.contains(key), suspended.contains(tenant)));
    }
    return new FleetSnapshot(prefix, hosts, placements, FleetNetworks.read(kv, prefix));
  }

  /** What is left of a host's lease; -1 when etcd does not say (the record is bound to no lease, or the call failed). */
  private long secondsLeft(KeyValue kvp) {
    if (kvp.getLease() == 0) {
      return -1;
    }
    try {
      return await(client.getLeaseClient().timeToLive(kvp.getLease(), LeaseOption.DEFAULT), "reading a lease")
          .getTTL();
    } catch (CoordinationUnavailableException e) {
      return -1;
    }
  }

  private List<KeyValue> list(String under) {
    return await(kv.get(bytes(prefix + under), GetOption.builder().isPrefix(true).build()), "listing " + prefix
        + under).getKvs();
  }

  private String after(String under, KeyValue kvp) {
    return text(kvp.getKey()).substring((prefix + under).length());
  }

  @Override
  public void close() {
    client.close();
  }
}
