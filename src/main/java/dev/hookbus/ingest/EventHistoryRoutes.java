package dev.hookbus.ingest;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.model.EventQuery;
import dev.hookbus.web.Responses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/events?session=&type=&since=&until=&after=&limit=} (a page of envelopes in seq order; since/until
 * bound receivedAt in epoch ms, after is the seq cursor, {@code next} in the reply is the cursor of the next page)
 * and {@code GET /api/events/<seq>}. The state actor answers from memory or from the journal.
 */
final class EventHistoryRoutes {
  private final StateClient state;

  private EventHistoryRoutes(StateClient state) {
    this.state = state;
  }

  static void mount(Router router, StateClient state) {
    EventHistoryRoutes routes = new EventHistoryRoutes(state);
    router.get("/api/events").handler(routes::list);
    router.get("/api/events/:seq").handler(routes::one);
  }

  private void list(RoutingContext ctx) {
    EventQuery query;
    try {
      query = new EventQuery(number(ctx, "after", 0L), text(ctx, "session"), text(ctx, "type"),
          number(ctx, "since", null), number(ctx, "until", null),
          (int) Math.min(EventQuery.MAX_LIMIT, Math.max(1, number(ctx, "limit", 100L))));
    } catch (IllegalArgumentException e) {
      Responses.error(ctx, FailureCode.INVALID_REQUEST, e.getMessage());
      return;
    }
    request(ctx, Addresses.STATE_QUERY, query.toJson());
  }

  private void one(RoutingContext ctx) {
    long seq;
    try {
      seq = Long.parseLong(ctx.pathParam("seq"));
    } catch (NumberFormatException e) {
      Responses.error(ctx, FailureCode.INVALID_REQUEST, "seq must be a whole number");
      return;
    }
    request(ctx, Addresses.STATE_EVENT, new JsonObject().put("seq", seq));
  }

  private void request(RoutingContext ctx, String address, JsonObject body) {
    state.ask(address, body)
        .onSuccess(reply -> Responses.json(ctx, 200, reply))
        .onFailure(failure -> state.fail(ctx, failure));
  }

  private static String text(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    return value == null || value.isBlank() ? null : value;
  }

  private static Long number(RoutingContext ctx, String name, Long fallback) {
    String value = text(ctx, name);
    if (value == null) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < 0) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number >= 0, got \"" + value + "\"");
    }
  }
}
