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
import dev.hookbus.config.IngestConfig;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.util.function.BiConsumer;

/**
 * Reads a POST body for the ingest routes, in place of vertx-web's BodyHandler, whose form decoder must never see a
 * hook body ({@code curl -d} declares every body a form). Whatever the Content-Type and its charset say, the body
 * is UTF-8 JSON (RFC 8259), at most {@code ingest.maxBodyBytes}, arriving in full within
 * {@code ingest.bodyTimeoutMs}. A body that breaks a rule gets its JSON error from {@code refuse}; the next
 * handler finds the decoded value with {@link #value(RoutingContext)}.
 *
 * <ul>
 *   <li>Too large (declared in Content-Length, or passed while reading): 413 at once. The rest of the body is read
 *   and dropped, so the client sees the answer and the connection stays usable; the body timeout bounds that.
 *   A client that asked {@code Expect: 100-continue} is answered before it sends anything.</li>
 *   <li>Not in full within the body timeout (a slow-loris client): 408, then the connection is closed.</li>
 *   <li>Invalid UTF-8 is a 400 INVALID_JSON naming the byte; so is a raw NUL or other control character, which
 *   JSON does not allow unescaped. {@code \u0000} escaped inside a string is valid JSON and is kept.</li>
 *   <li>Deeper than {@link #MAX_DEPTH} levels, a duplicated key in one object, or a string or number over
 *   Jackson's default limits: 400 INVALID_JSON saying which. A float beyond a double's range ({@code 1e400}):
 *   422 INVALID_EVENT naming the field. Integers beyond 64 bits are kept exactly.</li>
 *   <li>A client that goes away mid-body is one DEBUG line; nothing is answered.</li>
 * </ul>
 */
public final class JsonBody implements Handler<RoutingContext> {
  /**
   * Far deeper than any hook sends, and far from the 1 000 levels Jackson will still write: the envelope, a history
   * reply and a bridge frame each wrap the payload in a few more levels.
   */
  public static final int MAX_DEPTH = 200;

  private static final Logger LOG = LoggerFactory.getLogger(JsonBody.class);
  private static final String VALUE = "hookbus.body";
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .build();

  private final Vertx vertx;
  private final long maxBytes;
  private final long timeoutMs;
  private final BiConsumer<RoutingContext, Refusal> refuse;

  /** @param refuse answers a refused body with its JSON error (and counts it) */
  public JsonBody(Vertx vertx, IngestConfig config, BiConsumer<RoutingContext, Refusal> refuse) {
    this.vertx = vertx;
    this.maxBytes = config.maxBodyBytes();
    this.timeoutMs = config.bodyTimeoutMs();
    this.refuse = refuse;
  }

  /** The decoded body: a {@link JsonObject}, a {@link JsonArray}, a string, number or boolean, or null. */
  public static Object value(RoutingContext ctx) {
    return ctx.get(VALUE);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.isEnded()) {
      refuse.accept(ctx, new Refusal(FailureCode.INTERNAL, "the body was read before JsonBody ran"));
      return;
    }
    long declared = declaredLength(request);
    boolean expectsContinue = request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true);
    if (declared > maxBytes && expectsContinue) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      refuse.accept(ctx, tooLarge());
      return;
    }
    if (expectsContinue) {
      ctx.response().writeContinue();
    }
    new Reading(ctx).start(declared > maxBytes);
  }

  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private Refusal tooLarge() {
    return new Refusal(FailureCode.PAYLOAD_TOO_LARGE,
        "the body is too large: over " + maxBytes + " bytes (ingest.maxBodyBytes)");
  }

  /** One request's body on its way in; lives on the connection's event loop. */
  private final class Reading {
    private final RoutingContext ctx;
    private final HttpServerRequest request;
    private final Buffer body;
    private long timer;
    /** Answered (refused, or handed on): whatever still arrives is dropped. */
    private boolean answered;

    Reading(RoutingContext ctx) {
      this.ctx = ctx;
      this.request = ctx.request();
      this.body = Buffer.buffer();
    }

    void start(boolean declaredTooLarge) {
      timer = vertx.setTimer(timeoutMs, t -> timedOut());
      request.handler(this::chunk);
      request.exceptionHandler(this::broken);
      request.endHandler(v -> ended());
      if (declaredTooLarge) {
        refuse(tooLarge());
      }
      request.resume();
    }

    private void chunk(Buffer chunk) {
      if (answered) {
        return;
      }
      if (body.length() + (long) chunk.length() > maxBytes) {
        refuse(tooLarge());
      } else {
        body.appendBuffer(chunk);
      }
    }

    private void ended() {
      vertx.cancelTimer(timer);
      if (answered) {
        return;
      }
      answered = true;
      Object value;
      try {
        value = decode(body);
      } catch (Refusal refusal) {
        JsonBody.this.refuse.accept(ctx, refusal);
        return;
      }
      ctx.put(VALUE, value);
      ctx.next();
    }

    private void refuse(Refusal refusal) {
      answered = true;
      JsonBody.this.refuse.accept(ctx, refusal);
    }

    private void timedOut() {
      if (ctx.response().ended()) {
        request.connection().close();
        return;
      }
      ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      ctx.addEndHandler(sent -> request.connection().close());
      refuse(new Refusal(FailureCode.REQUEST_TIMEOUT,
          "the body did not arrive within " + timeoutMs + " ms (ingest.bodyTimeoutMs)"));
    }

    private void broken(Throwable failure) {
      vertx.cancelTimer(timer);
      answered = true;
      LOG.debug("{} {}: the client went away before its body was read ({})", request.method(), request.path(),
          failure.toString());
    }
  }

  /** UTF-8 JSON, strictly; see the class comment for what is refused. */
  static Object decode(Buffer body) {
    if (body.length() == 0) {
      throw new Refusal(FailureCode.INVALID_JSON, "the body is empty; send JSON");
    }
    ByteBuffer bytes = ByteBuffer.wrap(body.getBytes());
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
    } catch (StreamConstraintsException e) {
      throw new Refusal(FailureCode.INVALID_JSON, "the body is over a JSON limit: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new Refusal(FailureCode.INVALID_JSON, "the body is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
          + " column " + e.getLocation().getColumnNr()));
    } catch (IOException e) {
      throw new Refusal(FailureCode.INVALID_JSON, "the body is not valid JSON: " + e.getMessage());
    }
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
