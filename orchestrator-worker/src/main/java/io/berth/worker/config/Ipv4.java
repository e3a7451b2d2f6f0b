package io.berth.worker.config;

/** Dotted-quad IPv4 addresses as ints: cheap to compare, step and store in sets. */
public final class Ipv4 {
  private Ipv4() {}

  public static int parse(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("expected an IPv4 address a.b.c.d, got '" + text + "'");
    }
    int value = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("expected an IPv4 address a.b.c.d, got '" + text + "'");
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        throw new IllegalArgumentException("expected an IPv4 address a.b.c.d, got '" + text + "'");
      }
      value = (value << 8) | octet;
    }
    return value;
  }

  public static String format(int address) {
    return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
  }
}
