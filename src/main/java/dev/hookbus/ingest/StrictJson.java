package dev.hookbus.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.bus.Refusal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request body as JSON, more strictly than Vert.x's {@code Buffer.toJsonValue()} (which takes UTF-16 by sniffing,
 * 1 000 levels, the last of two equal keys, and turns {@code 1e400} into Infinity):
 * <ul>
 *   <li>UTF-8 only (RFC 8259), a leading byte-order mark skipped; invalid UTF-8 is a 400 INVALID_JSON naming the
 *   byte. A raw NUL or other control character is one too, as JSON allows them only escaped; {@code \u0000}
 *   escaped inside a string is valid JSON and is kept.</li>
 *   <li>Deeper than {@link #MAX_DEPTH} levels, a duplicated key in one object, or a string or number over Jackson's
 *   default limits (which the journal's reader keeps too): 400 INVALID_JSON saying which.</li>
 *   <li>A float beyond a double's range: 422 INVALID_EVENT naming the field. Integers beyond 64 bits are kept
 *   exactly.</li>
 * </ul>
 */
public final class StrictJson {
  /**
   * Far deeper than any hook sends, and far from the 1 000 levels Jackson will still write: the envelope, a history
   * reply and a bridge frame each wrap the payload in a few more levels.
   */
  public static final int MAX_DEPTH = 200;

  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .build();

  private StrictJson() {
  }

  /** A {@link JsonObject}, a {@link JsonArray}, a string, number or boolean, or null; or a {@link Refusal}. */
  public static Object decode(Buffer body) {
    if (body.length() == 0) {
      throw new Refusal(FailureCode.INVALID_JSON, "the body is empty; send JSON");
    }
    byte[] raw = body.getBytes();
    if (plainAscii(raw)) {
      // ASCII is UTF-8 as it stands: no decoding into characters, Jackson reads the bytes. No NUL either, so
      // Jackson's encoding detection cannot take it for UTF-16 or UTF-32.
      try (JsonParser parser = JSON.createParser(raw)) {
        return parse(parser);
      } catch (IOException e) {
        throw refusal(e);
      }
    }
    ByteBuffer bytes = ByteBuffer.wrap(raw);
    CharBuffer text = CharBuffer.allocate(bytes.remaining());
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
    CoderResult result = utf8.decode(bytes, text, true);
    if (result.isError()) {
      throw new Refusal(FailureCode.INVALID_JSON,
          "the body is not UTF-8 (JSON must be): invalid byte sequence at byte " + bytes.position());
    }
    utf8.flush(text);
    int start = text.position() > 0 && text.get(0) == '\uFEFF' ? 1 : 0;
    try (JsonParser parser = JSON.createParser(text.array(), start, text.position() - start)) {
      return parse(parser);
    } catch (IOException e) {
      throw refusal(e);
    }
  }

  /** Every byte printable ASCII or whitespace-range control (1 to 127): the common hook body. */
  private static boolean plainAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b <= 0) {
        return false;
      }
    }
    return true;
  }

  private static Object parse(JsonParser parser) throws IOException {
    JsonToken first = parser.nextToken();
    if (first == null) {
      throw new Refusal(FailureCode.INVALID_JSON, "the body is empty; send JSON");
    }
    Object value = value(parser, first);
    if (parser.nextToken() != null) {
      throw new Refusal(FailureCode.INVALID_JSON, "the body is not valid JSON: more after the value, at "
          + where(parser));
    }
    return value instanceof Map<?, ?> map ? new JsonObject(cast(map))
        : value instanceof List<?> list ? new JsonArray(list) : value;
  }

  private static Refusal refusal(IOException e) {
    if (e instanceof StreamConstraintsException limit) {
      return new Refusal(FailureCode.INVALID_JSON, "the body is over a JSON limit: " + limit.getOriginalMessage());
    }
    if (e instanceof JsonProcessingException json) {
      return new Refusal(FailureCode.INVALID_JSON, "the body is not valid JSON: " + json.getOriginalMessage()
          + (json.getLocation() == null ? "" : " at line " + json.getLocation().getLineNr()
          + " column " + json.getLocation().getColumnNr()));
    }
    return new Refusal(FailureCode.INVALID_JSON, "the body is not valid JSON: " + e.getMessage());
  }

  /** The same tree Vert.x's own decoder builds (maps and lists, wrapped lazily), with floats checked. */
  private static Object value(JsonParser parser, JsonToken token) throws IOException {
    if (token == null) {
      throw new Refusal(FailureCode.INVALID_JSON, "the body is not valid JSON: it ends too early");
    }
    switch (token) {
      case START_OBJECT -> {
        Map<String, Object> object = new LinkedHashMap<>();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
          object.put(name, value(parser, parser.nextToken()));
        }
        return object;
      }
      case START_ARRAY -> {
        List<Object> array = new ArrayList<>();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
          array.add(value(parser, next));
        }
        return array;
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_NUMBER_INT -> {
        return parser.getNumberValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        double number = parser.getDoubleValue();
        if (Double.isInfinite(number)) {
          String field = parser.getParsingContext().pathAsPointer().toString();
          throw new Refusal(FailureCode.INVALID_EVENT, (field.isEmpty() ? "the body" : field)
              + " is out of range: " + parser.getText() + " does not fit a double");
        }
        return number;
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new Refusal(FailureCode.INVALID_JSON, "the body is not valid JSON: unexpected " + token
          + " at " + where(parser));
    }
  }

  private static String where(JsonParser parser) {
    return "line " + parser.currentLocation().getLineNr() + " column " + parser.currentLocation().getColumnNr();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }
}
