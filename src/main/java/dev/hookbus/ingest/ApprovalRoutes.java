package dev.hookbus.ingest;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.model.EventQuery;
import dev.hookbus.model.EventTypes;
import dev.hookbus.security.RequestGuards;
import dev.hookbus.web.Responses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Approvals for scripts and phones: {@code GET /api/approvals} (the pending ones, and how many viewers who may
 * decide are connected), {@code GET /api/approvals?since=<epoch ms>} (the audit: decided ones from the journal, with
 * who, when and what; {@code after} and {@code limit} page it as on {@code /api/events}) and
 * {@code POST /api/approvals/<id>} with {@code {behavior:"allow"|"deny", message?, interrupt?, updatedInput?,
 * updatedPermissions?}} (an elicitation: {@code {action:"accept"|"decline"|"cancel", content?}}). No web page may decide here (browsers decide through the bridge).
 */
final class ApprovalRoutes {
  static final String PATH = "/api/approvals";

  private final StateClient state;
  private final ApprovalAccess access;
  private final ApprovalHolds holds;

  private ApprovalRoutes(StateClient state, ApprovalAccess access, ApprovalHolds holds) {
    this.state = state;
    this.access = access;
    this.holds = holds;
  }

  static void mount(Router router, JsonBody body, StateClient state, ApprovalAccess access, ApprovalHolds holds) {
    ApprovalRoutes routes = new ApprovalRoutes(state, access, holds);
    router.get(PATH).handler(routes::list);
    router.post(PATH + "/:id").handler(RequestGuards.noBrowserWrites()).handler(body).handler(routes::decide);
  }

  private void list(RoutingContext ctx) {
    ApprovalAccess.Caller caller = access.caller(ctx.request().getHeader("Authorization"));
    if (caller.refusal() != null) {
      refuse(ctx, caller);
      return;
    }
    String since = ctx.queryParams().get("since");
    if (since == null) {
      state.ask(Addresses.SYNC, null)
          .onSuccess(snapshot -> Responses.json(ctx, 200, new JsonObject()
              .put("approvals", snapshot.getJsonArray("approvals", new JsonArray()))
              .put("deciders", holds.deciders())))
          .onFailure(failure -> fail(ctx, failure));
      return;
    }
    EventQuery query;
    try {
      query = new EventQuery(number(ctx, "after", "0"), null, EventTypes.APPROVAL_DECIDED, number(ctx, "since", since),
          null, (int) Math.min(EventQuery.MAX_LIMIT, Math.max(1, number(ctx, "limit", "100"))));
    } catch (IllegalArgumentException e) {
      Responses.error(ctx, FailureCode.INVALID_REQUEST, e.getMessage());
      return;
    }
    state.ask(Addresses.STATE_QUERY, query.toJson()).onSuccess(page -> {
      JsonArray decided = new JsonArray();
      page.getJsonArray("events").forEach(e -> decided.add(((JsonObject) e).getJsonObject("payload")));
      Responses.json(ctx, 200, new JsonObject().put("approvals", decided).put("next", page.getValue("next")));
    }).onFailure(failure -> fail(ctx, failure));
  }

  private void decide(RoutingContext ctx) {
    ApprovalAccess.Caller caller = access.caller(ctx.request().getHeader("Authorization"));
    if (caller.refusal() != null || !caller.mayDecide()) {
      refuse(ctx, caller);
      return;
    }
    if (!(JsonBody.value(ctx) instanceof JsonObject given)) {
      Responses.error(ctx, FailureCode.INVALID_REQUEST, "the body must be {\"behavior\": \"allow\"|\"deny\", …}"
          + " (an elicitation: {\"action\": \"accept\"|\"decline\"|\"cancel\", \"content\"?})");
      return;
    }
    JsonObject request = given.copy().put("id", ctx.pathParam("id")).put("decidedBy", caller.who());
    state.ask(Addresses.APPROVALS_DECIDE, request)
        .onSuccess(reply -> Responses.json(ctx, 200, reply))
        .onFailure(failure -> fail(ctx, failure));
  }

  private static void refuse(RoutingContext ctx, ApprovalAccess.Caller caller) {
    if (caller.refusal() == FailureCode.UNAUTHORIZED) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"hookbus\"");
    }
    Responses.error(ctx, caller.refusal() == null ? FailureCode.FORBIDDEN : caller.refusal(), caller.why());
  }

  private static void fail(RoutingContext ctx, Throwable failure) {
    FailureCode code = FailureCode.of(failure);
    Responses.error(ctx, code, code == FailureCode.UNAVAILABLE
        ? "the state actor is not answering; retry shortly" : failure.getMessage());
  }

  private static long number(RoutingContext ctx, String name, String fallback) {
    String value = ctx.queryParams().get(name);
    value = value == null || value.isBlank() ? fallback : value;
    try {
      long parsed = Long.parseLong(value);
      if (parsed >= 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(name + " must be a whole number >= 0, got \"" + value + "\"");
  }
}
