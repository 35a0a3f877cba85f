package dev.hookbus.ingest;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.config.IngestConfig;
import dev.hookbus.model.Json;
import dev.hookbus.web.Listening;
import dev.hookbus.web.Responses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
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

import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where hooks POST: parses and validates events, hands them to the state actor and answers the hook as soon
 * as the actor has given them a seq. Runs as several instances on one port.
 */
public class HttpIngestVerticle extends VerticleBase implements Listening {
  private static final Logger LOG = LoggerFactory.getLogger(HttpIngestVerticle.class);

  private final IngestConfig config;
  private final String dashboardUrl;
  private final long shutdownGraceMs;
  private volatile boolean stopping;
  private EventParser parser;
  private DeliveryOptions applyOptions;
  private HttpServer server;

  public HttpIngestVerticle(IngestConfig config, String dashboardUrl) {
    this(config, dashboardUrl, 10_000);
  }

  /** @param shutdownGraceMs how long {@link #stop()} lets in-flight requests finish */
  public HttpIngestVerticle(IngestConfig config, String dashboardUrl, long shutdownGraceMs) {
    this.config = config;
    this.dashboardUrl = dashboardUrl;
    this.shutdownGraceMs = shutdownGraceMs;
  }

  @Override
  public Future<?> start() {
    parser = new EventParser(config.maxBatch());
    applyOptions = new DeliveryOptions().setSendTimeout(config.replyTimeoutMs());
    Router router = Router.router(vertx);
    router.route().handler(cors());
    router.route().handler(this::refuseWhileStopping);
    router.post("/api/events")
        .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
        .handler(this::postEvents);
    router.get("/health").handler(ctx -> Responses.json(ctx, 200,
        new JsonObject().put("status", "ok").put("timestamp", System.currentTimeMillis())));
    router.get("/api/sessions").handler(this::getSessions);
    EventHistoryRoutes history = new EventHistoryRoutes(vertx, applyOptions, this::fail);
    router.get("/api/events").handler(history::list);
    router.get("/api/events/:seq").handler(history::one);
    router.get("/").handler(ctx -> ctx.redirect(dashboardUrl));
    Responses.installErrorHandlers(router);
    return vertx.createHttpServer()
        .requestHandler(router)
        .listen(config.port(), config.host())
        .onSuccess(s -> server = s);
  }

  /** New requests get 503 SHUTTING_DOWN; the ones in flight get up to the grace period to finish. */
  @Override
  public Future<?> stop() {
    stopping = true;
    return server == null ? Future.succeededFuture() : server.shutdown(shutdownGraceMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public int actualPort() {
    return server.actualPort();
  }

  private CorsHandler cors() {
    CorsHandler cors = CorsHandler.create()
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS))
        .allowedHeaders(Set.of("content-type", "authorization"));
    if (config.corsOrigins().contains("*")) {
      return cors.addOrigin("*");
    }
    return cors.addOrigins(config.corsOrigins());
  }

  private void refuseWhileStopping(RoutingContext ctx) {
    if (stopping) {
      ctx.response().putHeader("connection", "close");
      Responses.error(ctx, FailureCode.SHUTTING_DOWN, "hookbus is shutting down; retry shortly");
    } else {
      ctx.next();
    }
  }

  private void postEvents(RoutingContext ctx) {
    EventParser.Parsed parsed;
    try {
      parsed = parser.parse(ctx.body().buffer(), System.currentTimeMillis());
    } catch (IngestException e) {
      Responses.error(ctx, e.code(), e.getMessage());
      return;
    }
    boolean batch = parsed.batch();
    JsonObject request = new JsonObject().put("events", Json.events(parsed.events()));
    vertx.eventBus().<JsonObject>request(Addresses.STATE_APPLY, request, applyOptions)
        .onSuccess(reply -> {
          JsonArray seqs = reply.body().getJsonArray("seqs");
          JsonObject body = new JsonObject().put("success", true);
          Responses.json(ctx, 200, batch ? body.put("seqs", seqs) : body.put("seq", seqs.getLong(0)));
        })
        .onFailure(failure -> fail(ctx, failure));
  }

  private void getSessions(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.SYNC, null, applyOptions)
        .onSuccess(reply -> Responses.json(ctx, 200, reply.body()))
        .onFailure(failure -> fail(ctx, failure));
  }

  void fail(RoutingContext ctx, Throwable failure) {
    FailureCode code = FailureCode.of(failure);
    LOG.warn("state actor request failed: {} ({})", code, failure.getMessage());
    Responses.error(ctx, code, code == FailureCode.UNAVAILABLE
        ? "the state actor is not answering; retry shortly" : failure.getMessage());
  }
}
