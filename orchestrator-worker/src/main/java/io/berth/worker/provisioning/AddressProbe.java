package io.berth.worker.provisioning;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Whether something on the LAN still holds an address, before a fleet host takes it over: a TCP connect to the media
 * server's port. Connected, or refused (a host answered with a reset): held. Timed out or unreachable (nobody answered
 * ARP): free. It cannot see a frozen host; see docs/fleet.md.
 */
public final class AddressProbe {
  private final int port;
  private final int timeoutMillis;

  public AddressProbe(int port, int timeoutMillis) {
    this.port = port;
    this.timeoutMillis = timeoutMillis;
  }

  public boolean answers(String address) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), timeoutMillis);
      return true;
    } catch (ConnectException refused) {
      return !String.valueOf(refused.getMessage()).contains("No route");
    } catch (IOException silent) {
      return false;
    }
  }
}
