package io.berth.worker.coordination;

import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Small helpers for jetcd: bytes, and waiting on a call with a bound so an absent etcd is a transient error. */
final class Etcd {
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

  private Etcd() {}

  static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  static String text(ByteSequence b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  static <T> T await(CompletableFuture<T> call, String what) {
    return await(call, what, CALL_TIMEOUT);
  }

  static <T> T await(CompletableFuture<T> call, String what, Duration timeout) {
    try {
      return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.cancel(true);
      throw new CoordinationUnavailableException("interrupted while " + what, e);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new CoordinationUnavailableException("etcd did not answer within " + timeout.toMillis() + " ms while "
          + what, e);
    } catch (ExecutionException e) {
      throw new CoordinationUnavailableException("etcd failed while " + what + ": " + e.getCause(), e.getCause());
    }
  }
}
