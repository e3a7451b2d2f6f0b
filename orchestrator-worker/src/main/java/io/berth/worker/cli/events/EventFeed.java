package io.berth.worker.cli.events;

import java.util.List;
import java.util.function.Consumer;

/** Where lifecycle events come from: the broker, or a fake in tests. */
public interface EventFeed {

  /** What a subscription tells its follower, besides events. */
  interface Listener {
    /** One message body, as published (a CloudEvent, if the publisher kept the contract). */
    void event(byte[] body);

    /** Something worth saying on stderr that does not end the subscription (a reconnect: events in the gap missed). */
    void notice(String message);

    /** The subscription ended by itself (e.g. the broker cancelled it): the follower stops, failing. */
    void ended(String reason);
  }

  /**
   * Subscribes to {@code berth.lifecycle} with these routing keys, on a queue of its own that lives only as long as
   * the subscription.
   *
   * @return ends the subscription (idempotent)
   * @throws Exception when it cannot subscribe (broker unreachable, refused)
   */
  AutoCloseable follow(List<String> routingKeys, Listener listener) throws Exception;

  /** A listener from three lambdas. */
  static Listener listener(Consumer<byte[]> event, Consumer<String> notice, Consumer<String> ended) {
    return new Listener() {
      @Override
      public void event(byte[] body) {
        event.accept(body);
      }

      @Override
      public void notice(String message) {
        notice.accept(message);
      }

      @Override
      public void ended(String reason) {
        ended.accept(reason);
      }
    };
  }
}
