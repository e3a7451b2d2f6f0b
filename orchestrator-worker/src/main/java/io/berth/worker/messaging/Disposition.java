package io.berth.worker.messaging;

/** What to do with a delivery once processing ended; the consumer carries it out. */
public sealed interface Disposition {

  /** The effect and its lifecycle events are confirmed. */
  record Ack() implements Disposition {}

  /**
   * Give it back to the broker at once. Costs one of the command's {@code x-delivery-limit} deliveries, so only for
   * what in-process retries could not fix (e.g. a publish still failing after its whole budget, a bug).
   */
  record Requeue(String why) implements Disposition {}

  /**
   * No capacity here, or this host cannot serve it: stop consuming the queue first, then give it back, so it goes to another host instead of
   * coming straight back (the intake resumes when a slot frees).
   */
  record GiveBack(String why) implements Disposition {}

  /**
   * Shutting down: neither ack nor nack. The broker requeues it once, when the connection closes; a nack now could
   * be redelivered to this very worker before its consumer is cancelled, and loop.
   */
  record Abandon(String why) implements Disposition {}

  /** Permanent failure: copy it to the dead-letter exchange with the reason, then ack. */
  record DeadLetter(String code, String reason) implements Disposition {}

  static Disposition ack() {
    return new Ack();
  }
}
