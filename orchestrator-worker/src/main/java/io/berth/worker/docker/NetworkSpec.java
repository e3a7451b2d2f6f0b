package io.berth.worker.docker;

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
}
