package io.berth.worker.cli;

import io.berth.worker.config.EnvNames;
import java.net.URI;

/** Broker URIs as people may see them: without the password. */
public final class AmqpUris {
  private AmqpUris() {}

  /** {@code amqp://user@host:port/vhost}; the variable's name when the URI cannot be read. */
  public static String redacted(String amqpUri) {
    try {
      URI uri = new URI(amqpUri);
      if (uri.getHost() == null) {
        return EnvNames.AMQP_URI;
      }
      String user = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo().replaceFirst(":.*", "") + "@";
      return uri.getScheme() + "://" + user + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
          + (uri.getRawPath() == null ? "" : uri.getRawPath());
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return EnvNames.AMQP_URI;
    }
  }
}
