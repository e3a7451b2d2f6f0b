package io.berth.worker.config;

import java.util.Locale;

/** The two Docker drivers that give each container its own LAN address. */
public enum NetworkDriver {
  IPVLAN,
  MACVLAN;

  public String dockerName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static NetworkDriver parse(String text) {
    for (NetworkDriver driver : values()) {
      if (driver.dockerName().equals(text)) {
        return driver;
      }
    }
    throw new IllegalArgumentException("must be 'ipvlan' or 'macvlan', got '" + text + "'");
  }
}
