package io.berth.worker.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the IPvlan/Macvlan network must look like; compared field by field against what Docker reports. */
public record NetworkSpec(
    String name, String driver, String parent, String subnet, String gateway, String ipRange,
    String modeOption, String mode, Map<String, String> labels) {

  public NetworkSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(subnet, "subnet");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(ipRange, "ipRange");
    Objects.requireNonNull(modeOption, "modeOption");
    Objects.requireNonNull(mode, "mode");
    labels = Map.copyOf(labels);
  }

  /** How an existing network differs from this spec, one phrase per setting; empty when it is this network. */
  public List<String> differencesFrom(DockerNetwork actual) {
    List<String> differences = new ArrayList<>();
    compare(differences, "driver", driver, actual.driver());
    compare(differences, "parent", parent, actual.options().get("parent"));
    // Docker leaves the mode option out when it was not given; the kernel defaults match ours (l2, bridge).
    String defaultMode = "ipvlan".equals(driver) ? "l2" : "bridge";
    compare(differences, modeOption, mode, actual.options().getOrDefault(modeOption, defaultMode));
    DockerNetwork.Pool pool = actual.pools().isEmpty() ? new DockerNetwork.Pool(null, null, null)
        : actual.pools().get(0);
    compare(differences, "subnet", subnet, pool.subnet());
    compare(differences, "gateway", gateway, pool.gateway());
    compare(differences, "ip-range", ipRange, pool.ipRange());
    return differences;
  }

  private static void compare(List<String> differences, String field, String wanted, String actual) {
    if (!wanted.equals(actual)) {
      differences.add(field + " is " + (actual == null ? "unset" : "'" + actual + "'") + ", want '" + wanted + "'");
    }
  }
}
