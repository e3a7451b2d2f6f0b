package io.berth.worker.it;

/**
 * The stand-in with a stop signal it does not handle: as PID 1 it ignores it, so {@code docker stop} ends in SIGKILL
 * at the stop timeout and the container exits with 137 — a media server that hangs on shutdown.
 */
final class StubbornImage {
  static final String NAME = "berth/wcs-standin:stubborn-it";

  private StubbornImage() {}

  static void build() throws Exception {
    StandinVariant.build(NAME, "STOPSIGNAL SIGUSR2");
  }

  static void remove() {
    StandinVariant.remove(NAME);
  }
}
