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

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/usage?by=session|model|day&since=&until=}: cost, tokens and API requests summed from the journal
 * (so across restarts and after sessions ended), page by page through the state actor's event query, as
 * {@code GET /api/events} reads it. since/until bound when hookbus received the usage, in epoch ms. The sums of the
 * last queries are kept with the seq they reached, so asking again reads only what came since (the first call
 * reads the whole journal); a journal of another epoch starts them again.
 */
final class UsageRoutes {
  private static final List<String> TYPES = List.of(EventTypes.USAGE_METRICS, EventTypes.USAGE_API_REQUEST);

  /** Queries whose sums are kept between calls (the dashboard asks the same one again and again). */
  private static final int MAX_CACHED = 16;
  /**
   * A page of the first scan reads up to {@link EventQuery#MAX_SCAN} envelopes from the journal: seconds on a large
   * one (5 s for 200 000 on a busy 2-core machine), more than a hook's reply timeout. Later calls read from memory.
   */
  private static final long SCAN_TIMEOUT_MS = 120_000;

  private record Query(UsageReport.By by, Long since, Long until) {
  }

  /** The sums of one query so far, and the last seq of each type they include. */
  private static final class Kept {
    UsageReport report;
    final long[] after = new long[TYPES.size()];
    String epoch;
    Future<Void> latest = Future.succeededFuture();

    void reset(UsageReport.By by) {
      report = new UsageReport(by);
      java.util.Arrays.fill(after, 0);
      epoch = null;
    }
  }

  /** The journal was started again (another epoch): the kept sums are dropped and read again from the start. */
  private static final class EpochChanged extends RuntimeException {
    EpochChanged() {
      super("the journal's epoch changed", null, false, false);
    }
  }

  private final StateClient state;
  private final Map<Query, Kept> cache = new HashMap<>();

  private UsageRoutes(StateClient state) {
    this.state = state;
  }

  static void mount(Router router, StateClient state) {
    router.get("/api/usage").handler(new UsageRoutes(state)::usage);
  }

  private void usage(RoutingContext ctx) {
    Query query;
    try {
      query = new Query(by(ctx.queryParams().get("by")), millis(ctx, "since"), millis(ctx, "until"));
    } catch (IllegalArgumentException e) {
      Responses.error(ctx, FailureCode.INVALID_REQUEST, e.getMessage());
      return;
    }
    Kept kept = cache.computeIfAbsent(query, q -> {
      Kept fresh = new Kept();
      fresh.reset(q.by());
      return fresh;
    });
    // one catch-up at a time per query; the ones that come meanwhile wait for it
    kept.latest = kept.latest.transform(done -> catchUp(query, kept)
        .recover(e -> e instanceof EpochChanged ? catchUp(query, kept) : Future.failedFuture(e)));
    kept.latest.onSuccess(v -> Responses.json(ctx, 200, kept.report.toJson().put("since", query.since())
            .put("until", query.until())))
        .onFailure(failure -> state.fail(ctx, failure));
    if (cache.size() > MAX_CACHED) {
      cache.keySet().removeIf(q -> !q.equals(query));
    }
  }

  /** Reads what the journal got since the last call for this query (everything, the first time). */
  private Future<Void> catchUp(Query query, Kept kept) {
    Future<Void> read = Future.succeededFuture();
    for (int i = 0; i < TYPES.size(); i++) {
      int type = i;
      read = read.compose(v -> readAll(query, kept, type, kept.after[type]));
    }
    return read;
  }

  private Future<Void> readAll(Query q, Kept kept, int type, long after) {
    EventQuery query = new EventQuery(after, null, TYPES.get(type), q.since(), q.until(), EventQuery.MAX_LIMIT);
    return state.ask(Addresses.STATE_QUERY, query.toJson(), SCAN_TIMEOUT_MS).compose(page -> {
      String epoch = page.getString("epoch");
      if (kept.epoch != null && !kept.epoch.equals(epoch)) {
        kept.reset(q.by());
        return Future.failedFuture(new EpochChanged());
      }
      kept.epoch = epoch;
      JsonArray events = page.getJsonArray("events", new JsonArray());
      for (int i = 0; i < events.size(); i++) {
        JsonObject envelope = events.getJsonObject(i);
        kept.report.add(envelope);
        kept.after[type] = Math.max(kept.after[type], envelope.getLong("seq"));
      }
      Long next = page.getLong("next");
      if (next == null) {
        // the end: the next call starts after the last seq this one looked at, matching or not
        kept.after[type] = Math.max(kept.after[type], page.getLong("last", 0L));
        return Future.succeededFuture();
      }
      return readAll(q, kept, type, next);
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
