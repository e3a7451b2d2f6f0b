package io.berth.worker.coordination;

import static io.berth.worker.coordination.Etcd.await;
import static io.berth.worker.coordination.Etcd.bytes;
import static io.berth.worker.coordination.Etcd.text;

import io.berth.worker.config.ConfigException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a fleet on one address plan: the first worker records its plan under {@code {prefix}/config/network} (by
 * transaction, so of two first workers exactly one records), every later one compares its own with it and refuses to
 * start on a difference. {@code berth preflight} reads the same key.
 */
final class FleetNetworks {
  private static final Logger log = LoggerFactory.getLogger(FleetNetworks.class);

  private FleetNetworks() {}

  static Optional<FleetNetwork> read(KV kv, String prefix) {
    return await(kv.get(bytes(FleetNetwork.key(prefix)), GetOption.DEFAULT), "reading the fleet's network").getKvs()
        .stream().findFirst().map(kvp -> IntentBook.decode(text(kvp.getValue()), FleetNetwork.class));
  }

  /**
   * Records {@code mine} when the fleet has no plan yet, else compares.
   *
   * @throws ConfigException naming the first variable that differs from the fleet's plan
   */
  static void agree(KV kv, String prefix, FleetNetwork mine) {
    ByteSequence key = bytes(FleetNetwork.key(prefix));
    var response = await(kv.txn()
        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
        .Then(Op.put(key, bytes(IntentBook.json(mine)), PutOption.DEFAULT))
        .Else(Op.get(key, GetOption.DEFAULT))
        .commit(), "recording the fleet's network");
    if (response.isSucceeded()) {
      log.info("recorded the fleet's network: key={} {}", FleetNetwork.key(prefix), mine.describe());
      return;
    }
    FleetNetwork fleet = response.getGetResponses().get(0).getKvs().stream().findFirst()
        .map(kvp -> IntentBook.decode(text(kvp.getValue()), FleetNetwork.class))
        .orElseThrow(() -> new CoordinationUnavailableException("the fleet's network record vanished while read", null));
    List<FleetNetwork.Difference> differences = mine.differencesFrom(fleet);
    if (!differences.isEmpty()) {
      throw new ConfigException(differences.get(0).variable(), "this host's " + differences.stream()
          .map(FleetNetwork.Difference::toString).collect(java.util.stream.Collectors.joining(", "))
          + " differs from the fleet's address plan (" + fleet.describe() + ", under " + FleetNetwork.key(prefix)
          + "). Every host of a fleet shares one plan: configure the fleet's. To move the whole fleet to another"
          + " plan, stop every worker, run 'etcdctl del " + FleetNetwork.key(prefix) + "', and start them with the"
          + " new one");
    }
  }
}
