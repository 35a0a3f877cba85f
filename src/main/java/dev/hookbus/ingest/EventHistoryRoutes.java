package dev.hookbus.ingest;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.store.EventQuery;
import dev.hookbus.web.Responses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.BiConsumer;

/**
 * {@code GET /api/events?session=&type=&since=&until=&after=&limit=} (a page of envelopes in seq order; since/until
 * bound receivedAt in epoch ms, after is the seq cursor, {@code next} in the reply is the cursor of the next page)
 * and {@code GET /api/events/<seq>}. The state actor answers from memory or from the journal.
 */
final class EventHistoryRoutes {
  private final Vertx vertx;
  private final DeliveryOptions options;
  private final BiConsumer<RoutingContext, Throwable> fail;

  EventHistoryRoutes(Vertx vertx, DeliveryOptions options, BiConsumer<RoutingContext, Throwable> fail) {
    this.vertx = vertx;
    this.options = options;
    this.fail = fail;
  }

  void list(RoutingContext ctx) {
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

  void one(RoutingContext ctx) {
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
    vertx.eventBus().<JsonObject>request(address, body, options)
        .onSuccess(reply -> Responses.json(ctx, 200, reply.body()))
        .onFailure(failure -> {
          if (FailureCode.of(failure) == FailureCode.NOT_FOUND) {
            Responses.error(ctx, FailureCode.NOT_FOUND, failure.getMessage());
          } else {
            fail.accept(ctx, failure);
          }
        });
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
