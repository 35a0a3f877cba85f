package dev.hookbus.claude;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.config.IngestConfig;
import dev.hookbus.ingest.IngestException;
import dev.hookbus.model.Event;
import dev.hookbus.model.Json;
import dev.hookbus.web.Responses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.BiFunction;

/**
 * {@code POST /api/hooks/claude} (the raw body of any Claude Code hook) and {@code POST /api/statusline} (the
 * status-line JSON). Both answer {@code {}} as soon as the body is valid and handed to the state actor, without
 * waiting for its seq: an {@code http} hook blocks Claude until it is answered, Claude does nothing with a seq,
 * and a busy actor must never slow the agent down. Order is still kept: the hand-over is queued on the actor's
 * event loop before the reply is written, so anything the client asks afterwards is answered after it.
 */
public final class ClaudeRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(ClaudeRoutes.class);
  private static final Buffer EMPTY_OBJECT = Buffer.buffer("{}");

  private final Vertx vertx;
  private final DeliveryOptions applyOptions;

  private ClaudeRoutes(Vertx vertx, IngestConfig config) {
    this.vertx = vertx;
    this.applyOptions = new DeliveryOptions().setSendTimeout(config.replyTimeoutMs());
  }

  /** Mounts both routes on the ingest router. */
  public static void mount(Vertx vertx, Router router, IngestConfig config) {
    ClaudeRoutes routes = new ClaudeRoutes(vertx, config);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
    router.post("/api/hooks/claude").handler(body)
        .handler(ctx -> routes.ingest(ctx, ClaudeHookMapper::map));
    router.post("/api/statusline").handler(body)
        .handler(ctx -> routes.ingest(ctx, (json, now) -> List.of(StatusLineMapper.map(json, now))));
  }

  private void ingest(RoutingContext ctx, BiFunction<JsonObject, Long, List<Event>> mapper) {
    List<Event> events;
    try {
      events = mapper.apply(object(ctx.body().buffer()), System.currentTimeMillis());
    } catch (IngestException e) {
      Responses.error(ctx, e.code(), e.getMessage());
      return;
    }
    JsonObject request = new JsonObject().put("events", Json.events(events));
    vertx.eventBus().request(Addresses.STATE_APPLY, request, applyOptions)
        .onFailure(failure -> LOG.warn("{} from {} was not applied: {} ({})", events.get(0).type(),
            events.get(0).sessionId(), FailureCode.of(failure), failure.getMessage()));
    ctx.response().putHeader("content-type", "application/json").end(EMPTY_OBJECT);
  }

  private static JsonObject object(Buffer body) {
    if (body == null || body.length() == 0) {
      throw new IngestException(FailureCode.INVALID_JSON, "the body is empty; send the hook's JSON");
    }
    Object root;
    try {
      root = body.toJsonValue();
    } catch (DecodeException e) {
      throw new IngestException(FailureCode.INVALID_JSON, "the body is not valid JSON");
    }
    if (!(root instanceof JsonObject json)) {
      throw new IngestException(FailureCode.INVALID_EVENT, "the body must be a JSON object, as Claude Code sends it");
    }
    return json;
  }
}
