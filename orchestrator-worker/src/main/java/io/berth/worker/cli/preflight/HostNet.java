package io.berth.worker.cli.preflight;

import java.util.List;
import java.util.Optional;

/** This host's network interfaces and addresses, as preflight needs them (a fake in tests). */
public interface HostNet {

  /**
   * A network interface.
   *
   * @param adminUp whether it is configured up ({@code ip link set X up}: IFF_UP)
   * @param operState the kernel's operational state: {@code up}, {@code down}, {@code lowerlayerdown}, {@code dormant},
   *     {@code unknown} (drivers that do not report one), ...
   * @param wireless a Wi-Fi interface (most refuse the extra MAC addresses macvlan needs)
   */
  record Link(String name, boolean adminUp, String operState, boolean wireless) {}

  /** An IPv4 address held by an interface of this host. */
  record Address(String interfaceName, int address, int prefixLength) {}

  Optional<Link> link(String name);

  List<String> linkNames();

  List<Address> ipv4Addresses();
}
