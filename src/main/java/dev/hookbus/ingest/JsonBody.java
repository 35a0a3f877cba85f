package dev.hookbus.ingest;

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
 *   <li>What the bytes must be to count as JSON is {@link StrictJson}'s to say.</li>
 *   <li>A client that goes away mid-body is one DEBUG line; nothing is answered.</li>
 * </ul>
 */
public final class JsonBody implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(JsonBody.class);
  private static final String VALUE = "hookbus.body";

  private final Vertx vertx;
  private final long maxBytes;
  private final long timeoutMs;
  private final BiConsumer<RoutingContext, Refusal> refuse;
  /** False for bodies that are not JSON (OTLP's protobuf): the bytes are handed on as they came. */
  private final boolean decode;

  /** @param refuse answers a refused body with its JSON error (and counts it) */
  public JsonBody(Vertx vertx, IngestConfig config, BiConsumer<RoutingContext, Refusal> refuse) {
    this(vertx, config, refuse, true);
  }

  private JsonBody(Vertx vertx, IngestConfig config, BiConsumer<RoutingContext, Refusal> refuse, boolean decode) {
    this.vertx = vertx;
    this.maxBytes = config.maxBodyBytes();
    this.timeoutMs = config.bodyTimeoutMs();
    this.refuse = refuse;
    this.decode = decode;
  }

  /** The same limits (size, time), without decoding: the next handler finds the bytes with {@link #bytes}. */
  public static JsonBody raw(Vertx vertx, IngestConfig config, BiConsumer<RoutingContext, Refusal> refuse) {
    return new JsonBody(vertx, config, refuse, false);
  }

  /** The body a {@link #raw} reader read. */
  public static Buffer bytes(RoutingContext ctx) {
    return ctx.get(VALUE);
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
    /** The first chunk as it came (most bodies are one), then a copy that the later chunks are appended to. */
    private Buffer body;
    private boolean copied;
    /** The body timeout's timer, or -1: none is armed for a body that was all there when reading began. */
    private long timer = -1;
    /** Ended (in full, or with the client gone): no timer is needed any more. */
    private boolean over;
    /** Answered (refused, or handed on): whatever still arrives is dropped. */
    private boolean answered;

    Reading(RoutingContext ctx) {
      this.ctx = ctx;
      this.request = ctx.request();
    }

    void start(boolean declaredTooLarge) {
      request.handler(this::chunk);
      request.exceptionHandler(this::broken);
      request.endHandler(v -> ended());
      if (declaredTooLarge) {
        refuse(tooLarge());
      }
      // A small body usually came with the headers and is handed over during resume(): no timer for it.
      request.resume();
      if (!over) {
        timer = vertx.setTimer(timeoutMs, t -> timedOut());
      }
    }

    private void stopTimer() {
      over = true;
      if (timer != -1) {
        vertx.cancelTimer(timer);
      }
    }

    private void chunk(Buffer chunk) {
      if (answered) {
        return;
      }
      long length = body == null ? 0 : body.length();
      if (length + chunk.length() > maxBytes) {
        refuse(tooLarge());
      } else if (body == null) {
        body = chunk;
      } else {
        if (!copied) {
          body = Buffer.buffer((int) Math.min(maxBytes, 2 * (length + chunk.length()))).appendBuffer(body);
          copied = true;
        }
        body.appendBuffer(chunk);
      }
    }

    private void ended() {
      stopTimer();
      if (answered) {
        return;
      }
      answered = true;
      if (!decode) {
        ctx.put(VALUE, body);
        ctx.next();
        return;
      }
      Object value;
      try {
        value = StrictJson.decode(body == null ? Buffer.buffer() : body);
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
      stopTimer();
      answered = true;
      LOG.debug("{} {}: the client went away before its body was read ({})", request.method(), request.path(),
          failure.toString());
    }
  }
}
