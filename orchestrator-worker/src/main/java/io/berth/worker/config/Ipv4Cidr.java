package io.berth.worker.config;

import java.util.Objects;

/** An IPv4 block such as {@code 192.0.2.0/24}; immutable, normalised to its network address. */
public record Ipv4Cidr(int network, int prefixLength) {

  public Ipv4Cidr {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("prefix length must be 0 to 32, got " + prefixLength);
    }
    if ((network & mask(prefixLength)) != network) {
      throw new IllegalArgumentException(Ipv4.format(network) + "/" + prefixLength
          + " has host bits set; did you mean " + Ipv4.format(network & mask(prefixLength)) + "/" + prefixLength + "?");
    }
  }

  public static Ipv4Cidr parse(String text) {
    Objects.requireNonNull(text, "text");
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("expected a.b.c.d/n, got '" + text + "'");
    }
    int prefix;
    try {
      prefix = Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a.b.c.d/n, got '" + text + "'");
    }
    return new Ipv4Cidr(Ipv4.parse(text.substring(0, slash)), prefix);
  }

  static int mask(int prefixLength) {
    return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
  }

  public int first() {
    return network;
  }

  public int last() {
    return network | ~mask(prefixLength);
  }

  public long size() {
    return 1L << (32 - prefixLength);
  }

  public boolean contains(int address) {
    return (address & mask(prefixLength)) == network;
  }

  public boolean contains(Ipv4Cidr other) {
    return other.prefixLength >= prefixLength && contains(other.network);
  }

  @Override
  public String toString() {
    return Ipv4.format(network) + "/" + prefixLength;
  }
}
