package io.berth.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One problem found in a message.
 *
 * @param path       JSON path of the offending value, e.g. {@code data.tenantId}
 * @param problem    what is wrong, ending with what was found (already clipped and escaped)
 * @param identifier true when the problem is only that an identifier breaks {@link Identifiers#RULE}
 */
record Violation(String path, String problem, boolean identifier) {

  static Violation of(String path, String problem) {
    return new Violation(path, problem, false);
  }

  static Violation badIdentifier(String path, JsonNode value) {
    return new Violation(path, Identifiers.RULE + " (got " + Sanitizer.describe(value) + ")", true);
  }

  @Override
  public String toString() {
    return path + ": " + problem;
  }
}
