package io.berth.events;

/** Argument checks shared by the record constructors; every message starts with the field name. */
final class Checks {

  private Checks() {
  }

  static <T> T required(String field, T value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }

  static String text(String field, String value) {
    if (required(field, value).isEmpty()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
    return value;
  }

  static String optionalText(String field, String value) {
    return value == null ? null : text(field, value);
  }

  static int atLeast(String field, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(field + " must be >= " + min + " (got " + value + ")");
    }
    return value;
  }

  static int between(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          field + " must be between " + min + " and " + max + " (got " + value + ")");
    }
    return value;
  }

  /**
   * Free-text diagnostics (Docker errors, rejection reasons) are clipped rather than refused:
   * failing to report a failure because its description is long would be worse.
   */
  static String clip(String field, String value, int maxLength) {
    text(field, value);
    if (value.length() <= maxLength) {
      return value;
    }
    int end = maxLength - 1;
    if (Character.isHighSurrogate(value.charAt(end - 1))) {
      end--; // never split a surrogate pair
    }
    return value.substring(0, end) + "…";
  }
}
