package io.berth.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Renders untrusted input for error messages and logs: clipped to {@link #MAX_ECHO} characters and
 * with control, format (bidi overrides) and separator characters escaped as {@code \}{@code uXXXX}.
 */
final class Sanitizer {

  static final int MAX_ECHO = 40;

  private Sanitizer() {
  }

  /** {@code "value"} clipped and escaped; {@code null} for null. */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    return '"' + escape(value, MAX_ECHO) + '"';
  }

  /** Escapes and clips arbitrary text (e.g. a parser message) to {@code max} characters. */
  static String escape(String value, int max) {
    StringBuilder out = new StringBuilder(Math.min(value.length(), max) + 16);
    int shown = 0;
    int i = 0;
    while (i < value.length() && shown < max) {
      int cp = value.codePointAt(i);
      i += Character.charCount(cp);
      shown++;
      if (cp == '"' || cp == '\\') {
        out.append('\\').appendCodePoint(cp);
      } else if (isUnsafe(cp)) {
        out.append(String.format("\\u%04x", cp));
      } else {
        out.appendCodePoint(cp);
      }
    }
    if (i < value.length()) {
      out.append("…(").append(value.length() - i).append(" more chars)");
    }
    return out.toString();
  }

  /** Describes a JSON value: scalars quoted/clipped, containers by kind only. */
  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isTextual()) {
      return quote(node.textValue());
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "an array";
    }
    return escape(node.asText(), MAX_ECHO); // number, boolean, null
  }

  private static boolean isUnsafe(int cp) {
    int type = Character.getType(cp);
    return type == Character.CONTROL || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SURROGATE || type == Character.UNASSIGNED
        || type == Character.PRIVATE_USE;
  }
}
