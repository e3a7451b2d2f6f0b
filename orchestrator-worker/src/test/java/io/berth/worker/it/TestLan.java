package io.berth.worker.it;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A LAN segment of our own: a veth pair whose host end is the macvlan/ipvlan parent and whose other end sits in a
 * network namespace with an address in the subnet, like a colleague's machine. Named bt* and berth-test-* so CI's
 * clean-up finds leftovers. Only documentation subnets are used.
 */
public final class TestLan implements AutoCloseable {
  private final String parent;
  private final String peer;
  private final String namespace;
  private final String subnetPrefix;

  /** @param subnetPrefix the first three octets of a documentation /24, e.g. "198.51.100" */
  public TestLan(String subnetPrefix) {
    this(subnetPrefix, "bt", "berth-test-", Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff)));
  }

  /**
   * A LAN named {@code <linkPrefix><tag>a} (the parent), {@code <linkPrefix><tag>b} (in the namespace) and
   * {@code <namespacePrefix><tag>}: for fixtures whose leftovers are cleaned by names of their own.
   */
  public TestLan(String subnetPrefix, String linkPrefix, String namespacePrefix, String tag) {
    this.parent = linkPrefix + tag + "a";
    this.peer = linkPrefix + tag + "b";
    this.namespace = namespacePrefix + tag;
    this.subnetPrefix = subnetPrefix;
    Shell.must("ip", "link", "add", parent, "type", "veth", "peer", "name", peer);
    Shell.must("ip", "link", "set", parent, "up");
    Shell.must("ip", "netns", "add", namespace);
    Shell.must("ip", "link", "set", peer, "netns", namespace);
    Shell.must("ip", "-n", namespace, "addr", "add", lanClientAddress() + "/24", "dev", peer);
    Shell.must("ip", "-n", namespace, "link", "set", peer, "up");
    Shell.must("ip", "-n", namespace, "link", "set", "lo", "up");
  }

  public String parent() {
    return parent;
  }

  public String subnet() {
    return subnetPrefix + ".0/24";
  }

  public String gateway() {
    return subnetPrefix + ".1";
  }

  /** The LAN client's own address; keep ranges clear of it. */
  public String lanClientAddress() {
    return subnetPrefix + ".254";
  }

  public String namespace() {
    return namespace;
  }

  public String address(int lastOctet) {
    return subnetPrefix + "." + lastOctet;
  }

  /** GET from the LAN namespace, as another machine on the LAN would; empty when nothing answers. */
  public Optional<String> httpGet(String ip, int port, String path) {
    // coreutils timeout, not wget -T: Debian's static busybox 1.35 wget crashes with -T
    Shell.Result r = Shell.run("timeout", "3", "ip", "netns", "exec", namespace, "busybox", "wget", "-q", "-O", "-",
        "http://" + ip + ":" + port + path);
    return r.ok() ? Optional.of(r.output()) : Optional.empty();
  }

  @Override
  public void close() {
    // Deleting the namespace deletes the peer, and with it the pair.
    Shell.run("ip", "netns", "del", namespace);
    Shell.run("ip", "link", "del", parent);
  }
}
