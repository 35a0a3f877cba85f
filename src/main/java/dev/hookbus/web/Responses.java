package dev.hookbus.web;

import dev.hookbus.bus.FailureCode;
import dev.hookbus.bus.Refusal;
import dev.hookbus.logging.ClientGone;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JSON responses, success and error, in the one shape every hookbus endpoint uses. */
public final class Responses {
  private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

  private Responses() {
  }

  private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("content-type");
  private static final CharSequence JSON_UTF8 = HttpHeaders.createOptimized("application/json; charset=utf-8");

  /** @param body a JSON value, or a {@link Buffer} that already holds the encoded JSON */
  public static void json(RoutingContext ctx, int status, Object body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(CONTENT_TYPE, JSON_UTF8)
        .end(body instanceof Buffer encoded ? encoded
            : body instanceof JsonObject json ? json.toBuffer() : Json.encodeToBuffer(body));
  }

  /** {@code {"error":"…","code":"INVALID_JSON"}} with the status the code maps to. */
  public static void error(RoutingContext ctx, FailureCode code, String message) {
    error(ctx, code.httpStatus(), code, message);
  }

  private static void error(RoutingContext ctx, int status, FailureCode code, String message) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (code == FailureCode.OVERLOADED) {
      ctx.response().putHeader("retry-after", "1");
    }
    json(ctx, status, errorBody(code, message));
  }

  private static JsonObject errorBody(FailureCode code, String message) {
    return new JsonObject().put("error", message).put("code", code.name());
  }

  /**
   * Every 4xx and 5xx a route or vertx-web itself fails with ends in the JSON error table, never in vertx-web's
   * plain-text reason phrase (and never in its "Unhandled exception in router" ERROR, which it logs for a status
   * without a handler). A status hookbus has no code for keeps its status and gets the generic code of its class.
   * A client that hung up mid-request (its body half sent) is one DEBUG line and gets no answer.
   */
  public static void installErrorHandlers(Router router) {
    router.route().failureHandler(ctx -> {
      if (ClientGone.is(ctx.failure())) {
        LOG.debug("{} {} from {}: the client went away ({})", ctx.request().method(), ctx.request().path(),
            ctx.request().remoteAddress(), ClientGone.describe(ctx.failure()));
      } else {
        ctx.next();
      }
    });
    for (int status = 400; status < 600; status++) {
      router.errorHandler(status, Responses::routeFailed);
    }
  }

  private static void routeFailed(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof Refusal refusal) {
      error(ctx, refusal.code(), refusal.getMessage());
      return;
    }
    int status = ctx.statusCode() != -1 ? ctx.statusCode()
        : failure instanceof HttpException http ? http.getStatusCode() : 500;
    FailureCode code = FailureCode.ofHttpStatus(status);
    String path = ctx.request().path();
    if (status >= 500 && (ctx.response().closed() || failure instanceof HttpClosedException)) {
      LOG.debug("{} {}: the client went away ({})", ctx.request().method(), path, String.valueOf(failure));
    } else if (status >= 500) {
      LOG.error("{} {} failed: {}", ctx.request().method(), path, String.valueOf(failure));
    }
    error(ctx, status, code, switch (code) {
      case NOT_FOUND -> "no route for " + path;
      case METHOD_NOT_ALLOWED -> ctx.request().method() + " is not allowed on " + path;
      case PAYLOAD_TOO_LARGE -> "request body is too large";
      case INTERNAL -> "internal error";
      default -> failure != null && failure.getMessage() != null ? failure.getMessage()
          : "the request was refused (HTTP " + status + ")";
    });
  }

  /**
   * For {@code HttpServer.invalidRequestHandler}: a request the HTTP codec could not decode (a URI or headers over
   * the limits, a broken request line) gets the JSON error, and the connection is closed as Vert.x's default does.
   */
  public static Handler<HttpServerRequest> invalidRequestHandler() {
    return request -> {
      DecoderResult result = request.decoderResult();
      Throwable cause = result == null ? null : result.cause();
      int status = 400;
      String message = "the request could not be decoded";
      if (cause instanceof TooLongHttpLineException) {
        status = 414;
        message = "the request line is too long";
      } else if (cause instanceof TooLongHttpHeaderException) {
        status = 431;
        message = "the request headers are too large";
      }
      request.response()
          .setStatusCode(status)
          .putHeader("content-type", "application/json; charset=utf-8")
          .end(errorBody(FailureCode.ofHttpStatus(status), message).toBuffer())
          .onComplete(sent -> request.connection().close());
    };
  }
}
