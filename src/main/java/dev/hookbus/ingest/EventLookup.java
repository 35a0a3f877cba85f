package dev.hookbus.ingest;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.web.Responses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/events/<seq>}: the full envelope (no string cut) while it is in the actor's history. */
final class EventLookup {
  private EventLookup() {
  }

  static void mount(Vertx vertx, Router router, long timeoutMs) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs);
    router.get("/api/events/:seq").handler(ctx -> lookup(vertx, ctx, options));
  }

  private static void lookup(Vertx vertx, RoutingContext ctx, DeliveryOptions options) {
    long seq;
    try {
      seq = Long.parseLong(ctx.pathParam("seq"));
    } catch (NumberFormatException e) {
      Responses.error(ctx, FailureCode.NOT_FOUND, "no event " + ctx.pathParam("seq") + "; seqs are whole numbers");
      return;
    }
    vertx.eventBus().<JsonObject>request(Addresses.STATE_EVENT, new JsonObject().put("seq", seq), options)
        .onSuccess(reply -> Responses.json(ctx, 200, reply.body()))
        .onFailure(failure -> {
          FailureCode code = FailureCode.of(failure);
          Responses.error(ctx, code, code == FailureCode.UNAVAILABLE
              ? "the state actor is not answering; retry shortly" : failure.getMessage());
        });
  }
}
