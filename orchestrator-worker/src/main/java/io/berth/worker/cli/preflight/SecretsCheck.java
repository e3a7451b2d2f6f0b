package io.berth.worker.cli.preflight;

import io.berth.worker.config.EnvNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The WCS password and licence files are readable by this user and not empty. Their content is read only to see that
 * it is not blank, and never printed.
 */
final class SecretsCheck implements Check {

  @Override
  public String name() {
    return "secrets";
  }

  @Override
  public List<CheckResult> run(PreflightContext context) {
    List<CheckResult> results = new ArrayList<>();
    results.add(file(context.env(), EnvNames.WCS_PASSWORD_FILE, "password", "PASSWORD"));
    results.add(file(context.env(), EnvNames.WCS_LICENSE_FILE, "licence", "LICENSE"));
    context.env().get(EnvNames.WCS_PASSWORD_FILE).map(Path::of).flatMap(SecretsCheck::othersMayRead)
        .ifPresent(results::add);
    context.env().get(EnvNames.WCS_LICENSE_FILE).map(Path::of).flatMap(SecretsCheck::othersMayRead)
        .ifPresent(results::add);
    return results;
  }

  private CheckResult file(PreflightEnv env, String variable, String what, String wcsVariable) {
    Optional<String> path = env.get(variable);
    if (path.isEmpty()) {
      return CheckResult.warn(name(), variable + " is not set: WCS starts without a " + what + " (no " + wcsVariable
          + ")", "set " + variable + " to a file holding the WCS " + what + ", unless WCS is meant to run without");
    }
    Path file = Path.of(path.get());
    if (!Files.exists(file)) {
      return CheckResult.fail(name(), variable + ": " + file + " does not exist", "create it with the WCS " + what
          + " (owned by the worker's user, chmod 400), or correct " + variable);
    }
    if (!Files.isRegularFile(file)) {
      return CheckResult.fail(name(), variable + ": " + file + " is not a file", "point " + variable
          + " at the file holding the WCS " + what);
    }
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return CheckResult.fail(name(), variable + ": " + file + " is not readable by this user ("
          + e.getClass().getSimpleName() + ")", "make it readable by the worker's user (chown it, chmod 400), and"
          + " run preflight as that user");
    }
    if (content.isBlank()) {
      return CheckResult.fail(name(), variable + ": " + file + " is empty", "write the WCS " + what + " into it");
    }
    return CheckResult.ok(name(), variable + ": " + file + " is readable and not empty");
  }

  /** A secret every user of the host can read is a finding, not a failure: the worker works. */
  static Optional<CheckResult> othersMayRead(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
        return Optional.of(CheckResult.warn("secrets", file + " is readable by every user of this host",
            "chmod 400 " + file + " (or 440 with the worker's group)"));
      }
    } catch (IOException | UnsupportedOperationException e) {
      // not there (reported above) or no POSIX permissions: nothing to add
    }
    return Optional.empty();
  }
}
