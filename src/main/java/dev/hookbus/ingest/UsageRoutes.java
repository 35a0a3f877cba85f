package dev.hookbus.ingest;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.otlp.UsageReport;
import dev.hookbus.web.Responses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;

/**
 * {@code GET /api/usage?by=session|model|day&since=&until=}: cost, tokens and API requests of every usage envelope the
 * journal holds (so across restarts and after sessions ended). since/until bound when hookbus received the usage, in
 * epoch ms. The state actor answers from the totals it keeps as usage is journaled (see {@code UsageLedger}); only the
 * hours that since/until cut through are read from the journal.
 */
final class UsageRoutes {
  /** Bounds inside an hour read that hour's usage envelopes from the journal: a busy hour can take seconds. */
  private static final long REPORT_TIMEOUT_MS = 60_000;

  private final StateClient state;

  private UsageRoutes(StateClient state) {
    this.state = state;
  }

  static void mount(Router router, StateClient state) {
    router.get("/api/usage").handler(new UsageRoutes(state)::usage);
  }

  private void usage(RoutingContext ctx) {
    JsonObject query;
    try {
      query = new JsonObject().put("by", by(ctx.queryParams().get("by")).name().toLowerCase(Locale.ROOT))
          .put("since", millis(ctx, "since")).put("until", millis(ctx, "until"));
    } catch (IllegalArgumentException e) {
      Responses.error(ctx, FailureCode.INVALID_REQUEST, e.getMessage());
      return;
    }
    state.ask(Addresses.STATE_USAGE, query, REPORT_TIMEOUT_MS)
        .onSuccess(report -> Responses.json(ctx, 200, report.put("since", query.getLong("since"))
            .put("until", query.getLong("until"))))
        .onFailure(failure -> state.fail(ctx, failure));
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
