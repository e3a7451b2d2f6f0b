package io.berth.worker.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A value read from something slow or shared (Docker, etcd) at most once per freshness period, and only when asked
 * for: with nobody looking at the page, it costs nothing. One read at a time; while one runs, other askers get the
 * last reading at once instead of queueing behind it (only the very first ask waits: there is nothing to give yet).
 * A failed read keeps the last good value beside the failure, so the page can show what was there and why it is old;
 * the period counts from every attempt, so a source that is down is not asked more often than one that answers.
 */
public final class CachedReading<T> {

  /**
   * @param value the last value read successfully; empty if none has been
   * @param valueAt when {@code value} was read
   * @param failure why the last attempt failed; empty when it succeeded
   */
  public record Reading<T>(Optional<T> value, Instant valueAt, Optional<String> failure) {}

  private final Supplier<T> source;
  private final Duration fresh;
  private final Clock clock;
  private final ReentrantLock reading = new ReentrantLock();
  private volatile Reading<T> last;
  private volatile Instant attemptedAt;

  /** @param source throws a RuntimeException when it cannot read; its message becomes the failure */
  public CachedReading(Supplier<T> source, Duration fresh, Clock clock) {
    this.source = Objects.requireNonNull(source, "source");
    this.fresh = Objects.requireNonNull(fresh, "fresh");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Reading<T> get() {
    Reading<T> current = last;
    if (current != null && isFresh()) {
      return current;
    }
    if (current == null) {
      reading.lock();
    } else if (!reading.tryLock()) {
      return current; // someone is reading right now: the last reading is a moment old, not worth waiting for
    }
    try {
      if (last != null && isFresh()) {
        return last; // read by whoever held the lock before us
      }
      last = read(last);
      return last;
    } finally {
      reading.unlock();
    }
  }

  private boolean isFresh() {
    Instant at = attemptedAt;
    return at != null && clock.instant().isBefore(at.plus(fresh));
  }

  private Reading<T> read(Reading<T> previous) {
    Instant now = clock.instant();
    attemptedAt = now;
    try {
      return new Reading<>(Optional.of(source.get()), now, Optional.empty());
    } catch (RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return previous == null || previous.value().isEmpty()
          ? new Reading<>(Optional.empty(), now, Optional.of(why))
          : new Reading<>(previous.value(), previous.valueAt(), Optional.of(why));
    }
  }
}
