package dev.hookbus.ingest;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.config.AppConfig;
import dev.hookbus.claude.ClaudeRoutes;
import dev.hookbus.config.IngestConfig;
import dev.hookbus.metrics.HookbusMetrics;
import dev.hookbus.web.HealthRoutes;
import dev.hookbus.model.Json;
import dev.hookbus.web.Listening;
import dev.hookbus.web.Responses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;

/**
 * Where hooks POST: parses and validates events, hands them to the state actor and answers the hook as soon
 * as the actor has given them a seq. Runs as several instances on one port.
 */
public class HttpIngestVerticle extends VerticleBase implements Listening {
  private static final Logger LOG = LoggerFactory.getLogger(HttpIngestVerticle.class);

  private final IngestConfig config;
  private final String dashboardUrl;
  private final HookbusMetrics metrics;
  private EventParser parser;
  private DeliveryOptions applyOptions;
  private BearerAuth auth;
  private volatile CorsHandler cors;
  private HttpServer server;

  public HttpIngestVerticle(IngestConfig config, String dashboardUrl, HookbusMetrics metrics) {
    this.config = config;
    this.dashboardUrl = dashboardUrl;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    parser = new EventParser(config.maxBatch());
    applyOptions = new DeliveryOptions().setSendTimeout(config.replyTimeoutMs());
    auth = new BearerAuth(config.tokens());
    cors = cors(config.corsOrigins());
    Router router = Router.router(vertx);
    router.route().handler(ctx -> cors.handle(ctx));
    router.route().handler(auth);
    router.post("/api/events")
        .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
        .handler(this::postEvents);
    router.get("/health").handler(ctx -> Responses.json(ctx, 200,
        new JsonObject().put("status", "ok").put("timestamp", System.currentTimeMillis())));
    HealthRoutes.install(router, vertx);
    router.get("/api/sessions").handler(this::getSessions);
    router.get("/metrics").handler(this::getMetrics);
    EventLookup.mount(vertx, router, config.replyTimeoutMs());
    ClaudeRoutes.mount(vertx, router, config);
    router.get("/").handler(ctx -> ctx.redirect(dashboardUrl));
    Responses.installErrorHandlers(router);
    MessageConsumer<JsonObject> reload = vertx.eventBus().localConsumer(Addresses.CONFIG_RELOAD, this::reconfigure);
    return reload.completion().compose(v -> vertx.createHttpServer()
        .requestHandler(router)
        .listen(config.port(), config.host()))
        .onSuccess(s -> server = s);
  }

  @Override
  public int actualPort() {
    return server.actualPort();
  }

  /** Tokens and CORS origins are safe to change while running; the rest of the section needs a restart. */
  private void reconfigure(Message<JsonObject> message) {
    IngestConfig updated = AppConfig.from(message.body()).ingest();
    auth.reconfigure(updated.tokens());
    cors = cors(updated.corsOrigins());
  }

  private static CorsHandler cors(List<String> origins) {
    CorsHandler cors = CorsHandler.create()
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS))
        .allowedHeaders(Set.of("content-type", "authorization"));
    if (origins.contains("*")) {
      return cors.addOrigin("*");
    }
    return cors.addOrigins(origins);
  }

  private void postEvents(RoutingContext ctx) {
    long started = System.nanoTime();
    EventParser.Parsed parsed;
    try {
      parsed = parser.parse(ctx.body().buffer(), System.currentTimeMillis());
    } catch (IngestException e) {
      metrics.rejected(e.code().name());
      Responses.error(ctx, e.code(), e.getMessage());
      return;
    }
    boolean batch = parsed.batch();
    JsonObject request = new JsonObject().put("events", Json.events(parsed.events()));
    metrics.actorInFlight().incrementAndGet();
    vertx.eventBus().<JsonObject>request(Addresses.STATE_APPLY, request, applyOptions)
        .onComplete(done -> metrics.actorInFlight().decrementAndGet())
        .onSuccess(reply -> {
          JsonArray seqs = reply.body().getJsonArray("seqs");
          JsonObject body = new JsonObject().put("success", true);
          Responses.json(ctx, 200, batch ? body.put("seqs", seqs) : body.put("seq", seqs.getLong(0)));
          long nanos = System.nanoTime() - started;
          parsed.events().forEach(event -> metrics.accepted(event.type(), nanos));
        })
        .onFailure(failure -> fail(ctx, failure));
  }

  private void getSessions(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.SYNC, null, applyOptions)
        .onSuccess(reply -> Responses.json(ctx, 200, reply.body()))
        .onFailure(failure -> fail(ctx, failure));
  }

  private void getMetrics(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.STATE_STATS, null, applyOptions)
        .onSuccess(reply -> metrics.historySize(reply.body().getLong("historySize", 0L)))
        .onComplete(refreshed -> ctx.response()
            .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
            .end(metrics.registry().scrape()));
  }

  private void fail(RoutingContext ctx, Throwable failure) {
    FailureCode code = FailureCode.of(failure);
    metrics.rejected(code.name());
    LOG.warn("state actor request failed: {} ({})", code, failure.getMessage());
    Responses.error(ctx, code, code == FailureCode.UNAVAILABLE
        ? "the state actor is not answering; retry shortly" : failure.getMessage());
  }
}
