package io.berth.worker.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.JsonpCharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code /api/transcoders}: the view as one JSON object, times RFC 3339, every field always present. Strings are
 * escaped beyond what JSON needs — {@code < > & '} and the line separators U+2028/U+2029 as {@code \\uXXXX} — so the
 * body stays inert even where something treats it as HTML or script. The page itself puts every value into the DOM
 * as text, never as markup; this is the second fence.
 */
public final class TranscoderViewJson {
  private static final ObjectWriter JSON = new ObjectMapper().findAndRegisterModules()
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .writer(new HtmlSafeEscapes());

  private TranscoderViewJson() {}

  public static String render(TranscoderView view) {
    try {
      return JSON.writeValueAsString(view) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the view is plain records: " + e.getMessage(), e);
    }
  }

  /** Jackson's JSONP escapes (U+2028, U+2029) plus the characters HTML gives meaning to. */
  private static final class HtmlSafeEscapes extends JsonpCharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii;

    HtmlSafeEscapes() {
      ascii = CharacterEscapes.standardAsciiEscapesForJSON();
      for (char c : new char[] {'<', '>', '&', '\''}) {
        ascii[c] = CharacterEscapes.ESCAPE_STANDARD;
      }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }
  }
}
