package io.berth.events;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** First decoding step: size limit, strict UTF-8, JSON syntax, top-level object. */
final class BodyParser {

  private static final int MAX_PARSER_DETAIL = 160;

  private BodyParser() {
  }

  static JsonNode parse(ObjectMapper mapper, byte[] body) throws RejectedEventException {
    if (body == null || body.length == 0) {
      throw malformed("body is empty");
    }
    if (body.length > Contract.MAX_BODY_BYTES) {
      // checked before anything else is done with the bytes: the cheapest possible refusal
      throw new RejectedEventException(RejectionCode.INVALID_ENVELOPE, "body is " + body.length
          + " bytes; the limit is " + Contract.MAX_BODY_BYTES, null, null);
    }
    JsonNode root;
    try {
      root = mapper.readTree(strictUtf8(body));
    } catch (StreamConstraintsException e) {
      throw malformed("body is not acceptable JSON: nested deeper than " + Json.MAX_NESTING_DEPTH
          + " levels or over another parser limit");
    } catch (JsonProcessingException e) {
      throw malformed("body is not valid JSON: "
          + Sanitizer.escape(e.getOriginalMessage(), MAX_PARSER_DETAIL) + where(e.getLocation()));
    }
    if (root == null || root.isMissingNode()) {
      throw malformed("body is empty");
    }
    if (!root.isObject()) {
      throw malformed("body must be a JSON object (got " + Sanitizer.describe(root) + ")");
    }
    return root;
  }

  /**
   * Jackson would guess UTF-16/32 from the first bytes and silently accept them; CloudEvents JSON
   * on the wire is UTF-8, so anything else is refused.
   */
  private static String strictUtf8(byte[] body) throws RejectedEventException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw malformed("body is not valid UTF-8");
    }
  }

  private static String where(JsonLocation location) {
    return location == null || location.getLineNr() < 0 ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  private static RejectedEventException malformed(String message) {
    return new RejectedEventException(RejectionCode.MALFORMED_JSON, message, null, null);
  }
}
