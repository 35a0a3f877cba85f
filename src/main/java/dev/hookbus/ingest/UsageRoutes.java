package dev.hookbus.ingest;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.model.EventQuery;
import dev.hookbus.model.EventTypes;
import dev.hookbus.otlp.UsageReport;
import dev.hookbus.web.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Locale;

/**
 * {@code GET /api/usage?by=session|model|day&since=&until=}: cost, tokens and API requests summed from the journal
 * (so across restarts and after sessions ended), page by page through the state actor's event query, as
 * {@code GET /api/events} reads it. since/until bound when hookbus received the usage, in epoch ms.
 */
final class UsageRoutes {
  private static final List<String> TYPES = List.of(EventTypes.USAGE_METRICS, EventTypes.USAGE_API_REQUEST);

  private final StateClient state;

  private UsageRoutes(StateClient state) {
    this.state = state;
  }

  static void mount(Router router, StateClient state) {
    router.get("/api/usage").handler(new UsageRoutes(state)::usage);
  }

  private void usage(RoutingContext ctx) {
    UsageReport.By by;
    Long since;
    Long until;
    try {
      by = by(ctx.queryParams().get("by"));
      since = millis(ctx, "since");
      until = millis(ctx, "until");
    } catch (IllegalArgumentException e) {
      Responses.error(ctx, FailureCode.INVALID_REQUEST, e.getMessage());
      return;
    }
    UsageReport report = new UsageReport(by);
    Future<Void> read = Future.succeededFuture();
    for (String type : TYPES) {
      read = read.compose(v -> readAll(report, type, since, until, 0));
    }
    read.onSuccess(v -> Responses.json(ctx, 200, report.toJson().put("since", since).put("until", until)))
        .onFailure(failure -> state.fail(ctx, failure));
  }

  private Future<Void> readAll(UsageReport report, String type, Long since, Long until, long after) {
    EventQuery query = new EventQuery(after, null, type, since, until, EventQuery.MAX_LIMIT);
    return state.ask(Addresses.STATE_QUERY, query.toJson()).compose(page -> {
      JsonArray events = page.getJsonArray("events", new JsonArray());
      for (int i = 0; i < events.size(); i++) {
        report.add(events.getJsonObject(i));
      }
      Long next = page.getLong("next");
      return next == null ? Future.succeededFuture() : readAll(report, type, since, until, next);
    });
  }

  private static UsageReport.By by(String value) {
    if (value == null || value.isBlank()) {
      return UsageReport.By.SESSION;
    }
    try {
      return UsageReport.By.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("by must be session, model or day, got \"" + value + "\"");
    }
  }

  private static Long millis(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed >= 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException(name + " must be epoch milliseconds (a whole number >= 0), got \"" + value
        + "\"");
  }
}
