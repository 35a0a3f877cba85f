package dev.hookbus.web;

import dev.hookbus.bus.FailureCode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON responses, success and error, in the one shape every hookbus endpoint uses. */
public final class Responses {
  private Responses() {
  }

  public static void json(RoutingContext ctx, int status, Object body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json; charset=utf-8")
        .end(body instanceof JsonObject json ? json.toBuffer() : io.vertx.core.json.Json.encodeToBuffer(body));
  }

  /** {@code {"error":"…","code":"INVALID_JSON"}} with the status the code maps to. */
  public static void error(RoutingContext ctx, FailureCode code, String message) {
    if (ctx.response().ended()) {
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (code == FailureCode.OVERLOADED) {
      ctx.response().putHeader("retry-after", "1");
    }
    json(ctx, code.httpStatus(), new JsonObject().put("error", message).put("code", code.name()));
  }

  /** The standard error handlers for routes that do not exist or do not take the method. */
  public static void installErrorHandlers(io.vertx.ext.web.Router router) {
    router.errorHandler(404, ctx -> error(ctx, FailureCode.NOT_FOUND, "no route for " + ctx.request().path()));
    router.errorHandler(405, ctx -> error(ctx, FailureCode.METHOD_NOT_ALLOWED,
        ctx.request().method() + " is not allowed on " + ctx.request().path()));
    router.errorHandler(413, ctx -> error(ctx, FailureCode.PAYLOAD_TOO_LARGE, "request body is too large"));
    router.errorHandler(500, ctx -> error(ctx, FailureCode.INTERNAL, "internal error"));
  }
}
