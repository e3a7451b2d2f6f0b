package io.berth.events;

import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns json-schema-validator messages into {@link Violation}s with Berth's own wording: a dotted
 * path, what is expected, and a clipped echo of what was found. The library's own messages are
 * not used verbatim because they print paths as {@code $.x} and never show the offending value.
 */
final class Violations {

  /** At most this many problems are spelled out in one rejection message. */
  static final int MAX_LISTED = 5;

  private static final Set<String> IDENTIFIER_KEYWORDS = Set.of("pattern", "minLength", "maxLength");
  private static final Map<String, String> FORMATS = Map.of(
      "date-time", "must be an RFC 3339 timestamp, e.g. 2026-11-24T15:41:11.123Z",
      "uri-reference", "must be a URI-reference, e.g. urn:billing:eu-1 or /billing");

  private Violations() {
  }

  static Violation from(ValidationMessage m, String prefix) {
    String path = render(prefix, m.getInstanceLocation());
    String keyword = m.getType();
    if ("required".equals(keyword)) {
      return Violation.of(join(path, m.getProperty()), "is required");
    }
    if (IDENTIFIER_KEYWORDS.contains(keyword) && Identifiers.FIELDS.contains(lastName(m.getInstanceLocation()))) {
      return Violation.badIdentifier(path, m.getInstanceNode());
    }
    String got = " (got " + Sanitizer.describe(m.getInstanceNode()) + ")";
    if ("type".equals(keyword)) {
      return Violation.of(path, "must be of type " + m.getSchemaNode().toString().replace("\"", "") + got);
    }
    if ("enum".equals(keyword) && m.getSchemaNode().isArray()) {
      return Violation.of(path, "must be one of " + m.getSchemaNode().toString().replace(",", ", ") + got);
    }
    if ("format".equals(keyword) && FORMATS.containsKey(m.getSchemaNode().asText())) {
      return Violation.of(path, FORMATS.get(m.getSchemaNode().asText()) + got);
    }
    return Violation.of(path, withoutLocation(m) + got);
  }

  /** Sorted, de-duplicated, at most {@link #MAX_LISTED} problems, joined by "; ". */
  static String summarize(Collection<Violation> violations) {
    List<String> lines = violations.stream()
        .sorted(Comparator.comparing(Violation::path).thenComparing(Violation::problem))
        .map(Violation::toString)
        .distinct()
        .collect(Collectors.toList());
    String listed = String.join("; ", lines.subList(0, Math.min(MAX_LISTED, lines.size())));
    int more = lines.size() - MAX_LISTED;
    return more > 0 ? listed + "; and " + more + " more" : listed;
  }

  private static String render(String prefix, JsonNodePath location) {
    StringBuilder out = new StringBuilder(prefix == null ? "" : prefix);
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        out.append('[').append(index).append(']');
      } else {
        out.append(out.length() == 0 ? "" : ".").append(Sanitizer.escape(String.valueOf(element), 64));
      }
    }
    return out.length() == 0 ? "(body)" : out.toString();
  }

  private static String join(String path, String property) {
    String name = Sanitizer.escape(property, 64);
    return "(body)".equals(path) ? name : path + "." + name;
  }

  private static String lastName(JsonNodePath location) {
    int n = location.getNameCount();
    return n == 0 ? "" : String.valueOf(location.getElement(n - 1));
  }

  /** The library prefixes messages with "<location>: "; the path is printed by {@link Violation}. */
  private static String withoutLocation(ValidationMessage m) {
    String text = m.getMessage();
    String location = m.getInstanceLocation().toString() + ": ";
    return text.startsWith(location) ? text.substring(location.length()) : text;
  }
}
