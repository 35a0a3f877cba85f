package dev.hookbus.ingest;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.web.Responses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/events/<seq>}: the full envelope (no string cut) while it is in the actor's history. */
final class EventLookup {
  private EventLookup() {
  }

  static void mount(Router router, StateClient state) {
    router.get("/api/events/:seq").handler(ctx -> lookup(state, ctx));
  }

  private static void lookup(StateClient state, RoutingContext ctx) {
    long seq;
    try {
      seq = Long.parseLong(ctx.pathParam("seq"));
    } catch (NumberFormatException e) {
      Responses.error(ctx, FailureCode.NOT_FOUND, "no event " + ctx.pathParam("seq") + "; seqs are whole numbers");
      return;
    }
    state.ask(Addresses.STATE_EVENT, new JsonObject().put("seq", seq))
        .onSuccess(envelope -> Responses.json(ctx, 200, envelope))
        .onFailure(failure -> state.fail(ctx, failure));
  }
}
