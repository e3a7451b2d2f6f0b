package io.berth.worker.it;

/**
 * The stand-in as a media server slow to start: its HTTP listeners open {@link #READY_AFTER_SECONDS} after the
 * container starts (a real WCS is a JVM that takes tens of seconds).
 */
final class SlowImage {
  static final String NAME = "berth/wcs-standin:slow-it";
  static final int READY_AFTER_SECONDS = 20;

  private SlowImage() {}

  static void build() throws Exception {
    StandinVariant.build(NAME, "ENV STANDIN_READY_DELAY_SECONDS=" + READY_AFTER_SECONDS);
  }

  static void remove() {
    StandinVariant.remove(NAME);
  }
}
