package io.berth.worker.cli.preflight;

import java.util.List;

/** One concern of {@code berth preflight}; a concern may report several lines (e.g. one per secret file). */
public interface Check {

  /** The name its lines carry, e.g. {@code docker}; also names an unexpected error of {@link #run}. */
  String name();

  /**
   * Runs the check. An unexpected exception is reported by the runner as a failure of this check, so a check lets
   * go of what it has no better words for.
   */
  List<CheckResult> run(PreflightContext context) throws Exception;
}
