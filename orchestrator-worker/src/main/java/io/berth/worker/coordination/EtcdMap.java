package io.berth.worker.coordination;

import static io.berth.worker.coordination.Etcd.await;
import static io.berth.worker.coordination.Etcd.bytes;
import static io.berth.worker.coordination.Etcd.text;

import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A {@link DurableMap} on an etcd key prefix; compare-and-set on the key's etcd version. */
final class EtcdMap implements DurableMap {
  private final KV kv;
  private final String prefix;

  EtcdMap(KV kv, String prefix) {
    this.kv = kv;
    this.prefix = prefix;
  }

  @Override
  public Optional<Versioned> get(String key) {
    var response = await(kv.get(bytes(prefix + key)), "reading " + key);
    return response.getKvs().stream().findFirst().map(kvp -> new Versioned(text(kvp.getValue()), kvp.getVersion()));
  }

  @Override
  public boolean putIfVersion(String key, long expectedVersion, String value) {
    var k = bytes(prefix + key);
    return await(kv.txn()
        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(expectedVersion)))
        .Then(Op.put(k, bytes(value), PutOption.DEFAULT))
        .commit(), "writing " + key).isSucceeded();
  }

  @Override
  public void delete(String key) {
    await(kv.delete(bytes(prefix + key)), "deleting " + key);
  }

  @Override
  public boolean deleteIfValue(String key, String expectedValue) {
    var k = bytes(prefix + key);
    return await(kv.txn()
        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.value(bytes(expectedValue))))
        .Then(Op.delete(k, io.etcd.jetcd.options.DeleteOption.DEFAULT))
        .commit(), "deleting " + key).isSucceeded();
  }

  @Override
  public Map<String, String> list(String keyPrefix) {
    var response = await(kv.get(bytes(prefix + keyPrefix), GetOption.builder().isPrefix(true).build()),
        "listing " + keyPrefix);
    Map<String, String> found = new TreeMap<>();
    for (KeyValue kvp : response.getKvs()) {
      found.put(text(kvp.getKey()).substring(prefix.length()), text(kvp.getValue()));
    }
    return found;
  }
}
