package io.berth.worker.cli.preflight;

/** How one check came out. Only {@link #FAIL} makes {@code berth preflight} exit non-zero. */
public enum CheckStatus {
  OK,
  /** Works, but worth a look (e.g. a setting preflight cannot read, a secret others may read). */
  WARN,
  /** The worker would not start, or would fail commands, as things stand. */
  FAIL,
  /** Not checked because something it needs failed already (that failure is reported on its own line). */
  SKIP
}
