package io.berth.worker.messaging;

/** What to do with a delivery once processing ended; the consumer carries it out. */
public sealed interface Disposition {

  /** The effect and its lifecycle events are confirmed. */
  record Ack() implements Disposition {}

  /** Give it back to the broker: shutdown or no capacity here; another host or a later attempt takes it. */
  record Requeue(String why) implements Disposition {}

  /** Permanent failure: copy it to the dead-letter exchange with the reason, then ack. */
  record DeadLetter(String code, String reason) implements Disposition {}

  static Disposition ack() {
    return new Ack();
  }
}
