package dev.hookbus.ingest;

import dev.hookbus.bus.FailureCode;
import dev.hookbus.bus.Refusal;
import dev.hookbus.claude.ClaudeHookMapper;
import dev.hookbus.claude.StatusLineMapper;
import dev.hookbus.model.Event;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.function.BiFunction;

/**
 * {@code POST /api/hooks/claude} (the raw body of any Claude Code hook) and {@code POST /api/statusline} (the
 * status-line JSON). Both answer {@code {}} once the state actor has accepted the events: an {@code http} hook
 * blocks Claude until it is answered, but the actor answers in well under a millisecond, and a hook told 2xx
 * must be able to trust that its event is kept. When the actor cannot take it, the hook gets a JSON 503, which
 * Claude Code treats as a non-blocking hook error and carries on. The exception is a PermissionRequest while a viewer
 * who may decide is connected: its reply waits for the decision ({@link ApprovalHolds}).
 */
final class ClaudeRoutes {
  private static final Buffer EMPTY_OBJECT = Buffer.buffer("{}");

  private final StateClient state;
  private final ApprovalHolds holds;

  private ClaudeRoutes(StateClient state, ApprovalHolds holds) {
    this.state = state;
    this.holds = holds;
  }

  /** Mounts both routes on the ingest router; a PermissionRequest may be held by {@code holds}. */
  static void mount(Router router, JsonBody body, StateClient state, ApprovalHolds holds) {
    ClaudeRoutes routes = new ClaudeRoutes(state, holds);
    router.post("/api/hooks/claude").handler(body)
        .handler(ctx -> routes.ingest(ctx, ClaudeHookMapper::map));
    router.post("/api/statusline").handler(body)
        .handler(ctx -> routes.ingest(ctx, (json, now) -> List.of(StatusLineMapper.map(json, now))));
  }

  private void ingest(RoutingContext ctx, BiFunction<JsonObject, Long, List<Event>> mapper) {
    List<Event> events;
    try {
      events = mapper.apply(object(JsonBody.value(ctx)), System.currentTimeMillis());
    } catch (Refusal e) {
      state.refuse(ctx, e);
      return;
    }
    ApprovalHolds.Held held = holds.hold(events);
    if (held == null) {
      state.apply(events)
          .onSuccess(seqs -> ctx.response().putHeader("content-type", "application/json").end(EMPTY_OBJECT))
          .onFailure(failure -> state.fail(ctx, failure));
      return;
    }
    ctx.response().closeHandler(v -> holds.release(held.id()));
    state.apply(List.of(held.event()))
        .compose(seqs -> holds.reply(held.id()))
        .onSuccess(reply -> {
          if (!ctx.response().closed()) {
            ctx.response().putHeader("content-type", "application/json").end(reply.toBuffer());
          }
        })
        .onFailure(failure -> {
          holds.release(held.id());
          state.fail(ctx, failure);
        });
  }

  private static JsonObject object(Object body) {
    if (!(body instanceof JsonObject json)) {
      throw new Refusal(FailureCode.INVALID_EVENT, "the body must be a JSON object, as Claude Code sends it");
    }
    return json;
  }
}
