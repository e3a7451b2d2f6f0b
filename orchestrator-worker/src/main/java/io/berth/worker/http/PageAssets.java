package io.berth.worker.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet page's three files, read once from the jar: plain HTML, one stylesheet, one script — no build chain, what
 * is in {@code resources/io/berth/worker/http/page/} is what the browser gets.
 */
final class PageAssets {
  /** One file as served. */
  record Asset(String contentType, String body) {}

  /**
   * No inline script or style, no other origin, no framing: even a value that slipped into the page as markup could
   * not run. The page only fetches {@code api/transcoders} from where it came from.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final Map<String, Asset> byPath;

  private PageAssets(Map<String, Asset> byPath) {
    this.byPath = byPath;
  }

  static PageAssets load() {
    return new PageAssets(Map.of(
        "/", new Asset("text/html; charset=utf-8", read("index.html")),
        "/page.js", new Asset("text/javascript; charset=utf-8", read("page.js")),
        "/page.css", new Asset("text/css; charset=utf-8", read("page.css"))));
  }

  Optional<Asset> at(String path) {
    return Optional.ofNullable(byPath.get(path));
  }

  private static String read(String name) {
    try (InputStream in = PageAssets.class.getResourceAsStream("page/" + name)) {
      if (in == null) {
        throw new IllegalStateException("page/" + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
