package io.berth.worker.hostnet;

import io.berth.worker.config.Ipv4;
import io.berth.worker.config.NetworkConfig;
import io.berth.worker.config.NetworkDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the host an interface of its own on the transcoders' LAN: a macvlan (bridge mode) or ipvlan (l2) child of the
 * same parent, with the host's address on it and a route to the transcoders' range. The kernel does not let a
 * parent's host reach its macvlan/ipvlan children directly; through a sibling it can, so the worker asks a new WCS
 * whether it is ready over HTTP, which costs the Docker daemon nothing, instead of an exec in the container.
 *
 * <p>Idempotent: an existing interface of that name is kept and its address and route set again, so restarted
 * workers, and workers sharing a parent, share one. It is left in place at shutdown (the transcoders outlive the
 * worker, and the next one uses it); deleting the parent deletes it. iproute2's {@code ip} does the work: the worker
 * needs CAP_NET_ADMIN in the host's network namespace.
 */
public final class HostShim {
  private static final Logger log = LoggerFactory.getLogger(HostShim.class);

  private HostShim() {}

  /** Sets the interface up; throws {@link IllegalStateException} saying what failed and how to fix it. */
  public static void ensure(NetworkConfig network) {
    int address = network.hostShim().orElseThrow(() -> new IllegalArgumentException("no host shim configured"));
    String name = network.hostShimInterface();
    if (run(List.of("ip", "link", "show", "dev", name)).code() != 0) {
      List<String> add = new ArrayList<>(List.of("ip", "link", "add", name, "link", network.parent(), "type"));
      add.addAll(network.driver() == NetworkDriver.IPVLAN ? List.of("ipvlan", "mode", "l2")
          : List.of("macvlan", "mode", "bridge"));
      must(add, network);
    }
    must(List.of("ip", "addr", "replace", Ipv4.format(address) + "/32", "dev", name), network);
    must(List.of("ip", "link", "set", name, "up"), network);
    must(List.of("ip", "route", "replace", network.ipRange().toString(), "dev", name), network);
    log.info("host shim ready: interface={} parent={} address={} route={}", name, network.parent(),
        Ipv4.format(address), network.ipRange());
  }

  private static void must(List<String> command, NetworkConfig network) {
    Result r = run(command);
    if (r.code() != 0) {
      throw new IllegalStateException("BERTH_NETWORK_HOST_SHIM: '" + String.join(" ", command) + "' failed ("
          + r.output().strip() + "); the worker needs iproute2 and CAP_NET_ADMIN in the host's network namespace, and "
          + network.driver().dockerName() + " support in the kernel on parent " + network.parent()
          + " — or unset BERTH_NETWORK_HOST_SHIM to probe readiness with exec");
    }
  }

  private record Result(int code, String output) { }

  private static Result run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
