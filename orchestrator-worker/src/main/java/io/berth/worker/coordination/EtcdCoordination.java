package io.berth.worker.coordination;

import static io.berth.worker.coordination.Etcd.await;
import static io.berth.worker.coordination.Etcd.bytes;
import static io.berth.worker.coordination.Etcd.text;

import io.berth.worker.config.CoordinationConfig;
import io.berth.worker.provisioning.TranscoderKey;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet: etcd v3 keeps membership, ownership, addresses and intents, under one prefix.
 *
 * <pre>
 * {prefix}/hosts/{hostId}                    host record, bound to the host's lease (its liveness)
 * {prefix}/owners/{tenant}/{transcoder}      the owning host id, bound to the owner's lease
 * {prefix}/transcoders/{tenant}/{transcoder} the kept spec (durable: outlives its host, for takeover)
 * {prefix}/addresses/{ip}                    "{tenant}/{transcoder}" (durable: the address follows the transcoder)
 * {prefix}/intents/...                       suspensions, cancellations, crash-loop verdicts
 * {prefix}/config/network                    the fleet's address plan, recorded by its first worker
 * </pre>
 *
 * Every write that must be exclusive is a transaction comparing versions, so two hosts never both win. Ownership is
 * bound to the owner's lease: when a host stops renewing it, etcd deletes its ownership keys and what it held becomes
 * an orphan (spec kept, no owner) for the survivors to take — after the silent host has fenced itself
 * ({@link HostLease}).
 */
public final class EtcdCoordination extends IntentsOnBook {
  private static final Logger log = LoggerFactory.getLogger(EtcdCoordination.class);

  private final Client client;
  private final KV kv;
  private final String prefix;
  private final String hostId;
  private final HostLease lease;

  private EtcdCoordination(Client client, String prefix, String hostId, IntentBook intents, HostLease lease) {
    super(intents);
    this.client = client;
    this.kv = client.getKVClient();
    this.prefix = prefix;
    this.hostId = hostId;
    this.lease = lease;
  }

  /**
   * Connects, and joins the fleet as {@code hostId}: a live host record of another engine with this id is refused;
   * one of this engine (the previous run of this worker) is taken over with its lease, so what it holds stays held.
   * Before anything else, this host's address plan must be the fleet's ({@link FleetNetworks}): a host that differs
   * is refused with a {@link io.berth.worker.config.ConfigException}, having registered nothing.
   */
  public static EtcdCoordination join(CoordinationConfig config, FleetNetwork network, String hostId, String engineId,
      Clock clock, Duration keepCancellations, HostLease.Listener listener) {
    Client client = Client.builder()
        .endpoints(config.etcdEndpoints().toArray(java.net.URI[]::new))
        .connectTimeout(Duration.ofSeconds(2))
        .retryMaxDuration(Duration.ofSeconds(2))
        .keepaliveTime(Duration.ofSeconds(5))
        .keepaliveTimeout(Duration.ofSeconds(3))
        .build();
    try {
      String prefix = config.etcdPrefix();
      FleetNetworks.agree(client.getKVClient(), prefix, network);
      IntentBook intents = new IntentBook(new EtcdMap(client.getKVClient(), prefix + "/intents/"), clock,
          keepCancellations);
      HostLease lease = HostLease.acquire(client, prefix + "/hosts/" + hostId, hostId, engineId, config.failover(),
          listener);
      return new EtcdCoordination(client, prefix, hostId, intents, lease);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  public HostLease lease() {
    return lease;
  }

  @Override
  public Optional<String> claim(TranscoderKey key) {
    long leaseId = lease.idIfHeld(); // a host that is fencing or cut off takes nothing
    ByteSequence owner = ownerKey(key);
    var response = await(kv.txn()
        .If(new Cmp(owner, Cmp.Op.EQUAL, CmpTarget.version(0)))
        .Then(Op.put(owner, bytes(hostId), PutOption.builder().withLeaseId(leaseId).build()))
        .Else(Op.get(owner, GetOption.DEFAULT))
        .commit(), "claiming " + key);
    if (response.isSucceeded()) {
      return Optional.empty();
    }
    String holder = response.getGetResponses().get(0).getKvs().stream().findFirst()
        .map(kvp -> text(kvp.getValue())).orElse(null);
    if (holder == null) {
      return claim(key); // released between compare and read: try again
    }
    return hostId.equals(holder) ? Optional.empty() : Optional.of(holder);
  }

  @Override
  public boolean reserveAddress(String address, TranscoderKey key) {
    ByteSequence k = addressKey(address);
    var response = await(kv.txn()
        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(0)))
        .Then(Op.put(k, bytes(key.toString()), PutOption.DEFAULT))
        .Else(Op.get(k, GetOption.DEFAULT))
        .commit(), "reserving address " + address);
    return response.isSucceeded() || response.getGetResponses().get(0).getKvs().stream()
        .anyMatch(kvp -> key.toString().equals(text(kvp.getValue())));
  }

  @Override
  public void freeAddress(String address, TranscoderKey key) {
    ByteSequence k = addressKey(address);
    await(kv.txn()
        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.value(bytes(key.toString()))))
        .Then(Op.delete(k, DeleteOption.DEFAULT))
        .commit(), "freeing address " + address);
  }

  @Override
  public void keep(KeptTranscoder transcoder) {
    TranscoderKey key = new TranscoderKey(transcoder.tenantId(), transcoder.transcoderId());
    await(kv.put(specKey(key), bytes(IntentBook.json(transcoder))), "keeping " + key);
  }

  @Override
  public Optional<String> holder(TranscoderKey key) {
    return await(kv.get(ownerKey(key)), "reading the owner of " + key).getKvs().stream().findFirst()
        .map(kvp -> text(kvp.getValue()));
  }

  @Override
  public Optional<KeptTranscoder> kept(TranscoderKey key) {
    return await(kv.get(specKey(key)), "reading " + key).getKvs().stream().findFirst()
        .map(kvp -> IntentBook.decode(text(kvp.getValue()), KeptTranscoder.class));
  }

  @Override
  public boolean release(TranscoderKey key) {
    Optional<KeptTranscoder> spec = kept(key);
    if (spec.isEmpty()) {
      // Nothing kept (a provision that failed before keeping): the claim alone, if it is ours.
      ByteSequence owner = ownerKey(key);
      await(kv.txn().If(new Cmp(owner, Cmp.Op.EQUAL, CmpTarget.value(bytes(hostId))))
          .Then(Op.delete(owner, DeleteOption.DEFAULT)).commit(), "releasing " + key);
      return false;
    }
    ByteSequence owner = ownerKey(key);
    // Ours, or nobody's: the spec goes with the claim. Another host's claim means it was moved away: leave it.
    boolean done = await(kv.txn()
        .If(new Cmp(owner, Cmp.Op.EQUAL, CmpTarget.value(bytes(hostId))))
        .Then(Op.delete(owner, DeleteOption.DEFAULT), Op.delete(specKey(key), DeleteOption.DEFAULT))
        .commit(), "releasing " + key).isSucceeded()
        || await(kv.txn()
        .If(new Cmp(owner, Cmp.Op.EQUAL, CmpTarget.version(0)))
        .Then(Op.delete(specKey(key), DeleteOption.DEFAULT))
        .commit(), "releasing " + key).isSucceeded();
    if (done) {
      freeAddress(spec.get().address(), key);
    } else {
      log.info("not released: transcoder={} is held by another host now", key);
    }
    return done;
  }

  @Override
  public void unclaim(TranscoderKey key) {
    disown(List.of(key));
  }

  @Override
  public List<TranscoderKey> ownedHere() {
    return owned();
  }

  @Override
  public boolean inContact() {
    return lease.held();
  }

  @Override
  public boolean releaseOrphan(TranscoderKey key) {
    Optional<KeptTranscoder> spec = kept(key);
    if (spec.isEmpty()) {
      return false;
    }
    boolean released = await(kv.txn()
        .If(new Cmp(ownerKey(key), Cmp.Op.EQUAL, CmpTarget.version(0)),
            new Cmp(specKey(key), Cmp.Op.GREATER, CmpTarget.version(0)))
        .Then(Op.delete(specKey(key), DeleteOption.DEFAULT))
        .commit(), "releasing orphan " + key).isSucceeded();
    if (released) {
      freeAddress(spec.get().address(), key);
    }
    return released;
  }

  @Override
  public Set<String> reservedAddresses() {
    Set<String> addresses = new HashSet<>();
    for (KeyValue kvp : listPrefix(prefix + "/addresses/")) {
      addresses.add(text(kvp.getKey()).substring((prefix + "/addresses/").length()));
    }
    return addresses;
  }

  /** Gives up ownership of what this host held without deleting the specs: after fencing, they are orphans. */
  public void disown(List<TranscoderKey> keys) {
    for (TranscoderKey key : keys) {
      ByteSequence owner = ownerKey(key);
      await(kv.txn()
          .If(new Cmp(owner, Cmp.Op.EQUAL, CmpTarget.value(bytes(hostId))))
          .Then(Op.delete(owner, DeleteOption.DEFAULT))
          .commit(), "disowning " + key);
    }
  }

  /** What this host owns in etcd (it may hold no container for some of it: fenced, or mid-move). */
  public List<TranscoderKey> owned() {
    List<TranscoderKey> keys = new ArrayList<>();
    for (KeyValue kvp : listPrefix(prefix + "/owners/")) {
      if (hostId.equals(text(kvp.getValue()))) {
        keys.add(keyFrom(text(kvp.getKey()).substring((prefix + "/owners/").length())));
      }
    }
    return keys;
  }

  @Override
  public List<KeptTranscoder> orphans() {
    Set<String> owned = new HashSet<>();
    for (KeyValue kvp : listPrefix(prefix + "/owners/")) {
      owned.add(text(kvp.getKey()).substring((prefix + "/owners/").length()));
    }
    List<KeptTranscoder> orphans = new ArrayList<>();
    for (KeyValue kvp : listPrefix(prefix + "/transcoders/")) {
      if (!owned.contains(text(kvp.getKey()).substring((prefix + "/transcoders/").length()))) {
        orphans.add(IntentBook.decode(text(kvp.getValue()), KeptTranscoder.class));
      }
    }
    return orphans;
  }

  /** A transcoder as the fleet sees it: its live holder, if any, and its kept spec, if it was placed. */
  public record Placement(TranscoderKey key, Optional<String> holder, Optional<KeptTranscoder> kept) {}

  /**
   * Every transcoder the fleet holds or keeps, in two range reads (owners, then specs): a transcoder claimed but not
   * yet kept (being provisioned) has a holder and no spec; an orphan a spec and no holder.
   */
  public List<Placement> placements() {
    java.util.Map<String, String> holders = new java.util.HashMap<>();
    for (KeyValue kvp : listPrefix(prefix + "/owners/")) {
      holders.put(text(kvp.getKey()).substring((prefix + "/owners/").length()), text(kvp.getValue()));
    }
    java.util.Map<String, KeptTranscoder> specs = new java.util.HashMap<>();
    for (KeyValue kvp : listPrefix(prefix + "/transcoders/")) {
      specs.put(text(kvp.getKey()).substring((prefix + "/transcoders/").length()),
          IntentBook.decode(text(kvp.getValue()), KeptTranscoder.class));
    }
    Set<String> all = new HashSet<>(holders.keySet());
    all.addAll(specs.keySet());
    List<Placement> placements = new ArrayList<>();
    for (String tenantSlashTranscoder : all) {
      placements.add(new Placement(keyFrom(tenantSlashTranscoder), Optional.ofNullable(holders.get(tenantSlashTranscoder)),
          Optional.ofNullable(specs.get(tenantSlashTranscoder))));
    }
    return placements;
  }

  /** Ids of the hosts whose lease is alive now. */
  public Set<String> liveHosts() {
    Set<String> hosts = new HashSet<>();
    for (KeyValue kvp : listPrefix(prefix + "/hosts/")) {
      hosts.add(text(kvp.getKey()).substring((prefix + "/hosts/").length()));
    }
    return hosts;
  }

  private List<KeyValue> listPrefix(String p) {
    return await(kv.get(bytes(p), GetOption.builder().isPrefix(true).build()), "listing " + p).getKvs();
  }

  private ByteSequence ownerKey(TranscoderKey key) {
    return bytes(prefix + "/owners/" + key.tenantId() + "/" + key.transcoderId());
  }

  private ByteSequence specKey(TranscoderKey key) {
    return bytes(prefix + "/transcoders/" + key.tenantId() + "/" + key.transcoderId());
  }

  private ByteSequence addressKey(String address) {
    return bytes(prefix + "/addresses/" + address);
  }

  private static TranscoderKey keyFrom(String tenantSlashTranscoder) {
    int slash = tenantSlashTranscoder.indexOf('/');
    return new TranscoderKey(tenantSlashTranscoder.substring(0, slash), tenantSlashTranscoder.substring(slash + 1));
  }

  @Override
  public String mode() {
    return "fleet";
  }

  @Override
  public void close() {
    lease.close();
    client.close();
  }
}
