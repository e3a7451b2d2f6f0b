package io.berth.worker.cli.preflight;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@link HostNet} from {@code /sys/class/net} (links: what {@code ip link} shows) and the JDK's interface list
 * (addresses: what {@code ip addr} shows), so no parsing of a tool's output and no dependency on iproute2.
 */
public final class SystemHostNet implements HostNet {
  private static final int IFF_UP = 0x1;

  private final Path sysClassNet;

  /** @param sysClassNet {@code /sys/class/net}, or a directory laid out like it (tests) */
  public SystemHostNet(Path sysClassNet) {
    this.sysClassNet = sysClassNet;
  }

  public static SystemHostNet system() {
    return new SystemHostNet(Path.of("/sys/class/net"));
  }

  @Override
  public Optional<Link> link(String name) {
    Path dir = sysClassNet.resolve(name);
    if (name.contains("/") || !Files.isDirectory(dir)) {
      return Optional.empty();
    }
    String flags = read(dir.resolve("flags")).orElse("0x0");
    boolean adminUp;
    try {
      adminUp = (Integer.decode(flags) & IFF_UP) != 0;
    } catch (NumberFormatException e) {
      adminUp = false;
    }
    return Optional.of(new Link(name, adminUp, read(dir.resolve("operstate")).orElse("unknown"),
        Files.isDirectory(dir.resolve("wireless")) || Files.isDirectory(dir.resolve("phy80211"))));
  }

  @Override
  public List<String> linkNames() {
    try (Stream<Path> entries = Files.list(sysClassNet)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  @Override
  public List<Address> ipv4Addresses() {
    List<Address> addresses = new ArrayList<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InterfaceAddress a : nif.getInterfaceAddresses()) {
          if (a.getAddress() instanceof Inet4Address v4) {
            byte[] b = v4.getAddress();
            int address = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
            addresses.add(new Address(nif.getName(), address, a.getNetworkPrefixLength()));
          }
        }
      }
    } catch (SocketException e) {
      // no interfaces readable: nothing to compare, which the overlap check then cannot catch
    }
    return addresses;
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file).trim());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
