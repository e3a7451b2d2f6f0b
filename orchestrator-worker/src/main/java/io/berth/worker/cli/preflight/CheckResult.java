package io.berth.worker.cli.preflight;

import java.util.Objects;

/**
 * One line of {@code berth preflight}: what was checked, what was found, and for a failure or a warning the fix.
 *
 * @param check a short name, e.g. {@code docker}, {@code parent}
 * @param detail what was found, one sentence
 * @param fix what to do about it; empty for OK and SKIP
 */
public record CheckResult(CheckStatus status, String check, String detail, String fix) {

  public CheckResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(detail, "detail");
    fix = fix == null ? "" : fix;
  }

  public static CheckResult ok(String check, String detail) {
    return new CheckResult(CheckStatus.OK, check, detail, "");
  }

  public static CheckResult warn(String check, String detail, String fix) {
    return new CheckResult(CheckStatus.WARN, check, detail, fix);
  }

  public static CheckResult fail(String check, String detail, String fix) {
    return new CheckResult(CheckStatus.FAIL, check, detail, fix);
  }

  public static CheckResult skip(String check, String detail) {
    return new CheckResult(CheckStatus.SKIP, check, detail, "");
  }
}
