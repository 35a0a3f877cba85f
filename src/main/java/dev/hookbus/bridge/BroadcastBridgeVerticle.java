package dev.hookbus.bridge;

import dev.hookbus.bus.Addresses;
import dev.hookbus.config.AppConfig;
import dev.hookbus.config.BridgeConfig;
import dev.hookbus.config.MetricsConfig;
import dev.hookbus.security.RequestGuards;
import dev.hookbus.tls.ServerTls;
import dev.hookbus.web.Listening;
import dev.hookbus.web.HealthRoutes;
import dev.hookbus.web.Responses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;

import java.util.function.Supplier;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * The browser side: the event-bus bridge at {@code /eventbus/*} (WebSocket on {@link WebSocketBridge}, the other
 * SockJS transports on vertx-web's handler), the dashboard at {@code /} (and its
 * {@code /config.json}), {@code /health} and {@code /stats}, and (in one instance) the ticker that publishes
 * {@code hookbus.metrics}.
 */
public class BroadcastBridgeVerticle extends VerticleBase implements Listening {
  private static final DeliveryOptions STATS_REQUEST = new DeliveryOptions().setSendTimeout(2_000);

  private final BridgeConfig config;
  private final MetricsConfig metrics;
  private final BridgeStats stats;
  private final boolean runsTicker;
  private final DashboardInfo dashboard;
  private BridgeGuard guard;
  private Supplier<JsonObject> cluster = () -> null;
  private HttpServer server;

  public BroadcastBridgeVerticle(BridgeConfig config, MetricsConfig metrics, BridgeStats stats, boolean runsTicker,
                                 DashboardInfo dashboard) {
    this.config = config;
    this.metrics = metrics;
    this.stats = stats;
    this.runsTicker = runsTicker;
    this.dashboard = dashboard;
  }

  /** In a cluster: adds {@code cluster} ({@link dev.hookbus.cluster.ClusterView#describe()}) to /health and /stats. */
  public BroadcastBridgeVerticle withCluster(Supplier<JsonObject> clusterInfo) {
    this.cluster = clusterInfo == null ? () -> null : clusterInfo;
    return this;
  }

  @Override
  public Future<?> start() {
    guard = new BridgeGuard(config, stats);
    Router router = Router.router(vertx);
    router.route().handler(RequestGuards.hosts(guard::hosts, "bridge.allowedHosts"));
    router.route().handler(RequestGuards.origins(guard::originAllowed,
        "web pages of this origin may not use the bridge; add the origin to bridge.allowedOrigins if it should"));
    // The XHR transports need the body read before the SockJS handler sees it (STACK.md, vert.x#5635).
    // ...but not before a WebSocket upgrade: a client that sends Content-Length: 0 with it (the JDK's does) would
    // have its request read to the end, and the handshake then fails with "Request has already been read".
    new WebSocketBridge(vertx, guard, stats).mount(router);
    BodyHandler body = BodyHandler.create();
    router.route("/eventbus/*").handler(ctx -> {
      if ("websocket".equalsIgnoreCase(ctx.request().getHeader("upgrade"))) {
        ctx.next();
      } else {
        body.handle(ctx);
      }
    });
    router.route("/eventbus/*").subRouter(
        SockJSHandler.create(vertx, new SockJSHandlerOptions().setHeartbeatInterval(config.heartbeatIntervalMs()))
            .bridge(BridgePermissions.options(config), new VertxWebBridgeHook(guard, stats)));
    router.get("/health").handler(ctx -> Responses.json(ctx, 200, withCluster(stats.health())));
    router.get("/stats").handler(this::getStats);
    HealthRoutes.install(router, vertx);
    router.get("/config.json").handler(ctx -> Responses.json(ctx, 200, dashboard.json()));
    // No cache headers: the default (immutable, one day) would keep a stale dashboard after an upgrade.
    router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    Responses.installErrorHandlers(router);
    if (runsTicker) {
      vertx.setPeriodic(metrics.intervalMs(), id -> publishMetrics());
      stats.deciders.start(vertx);
    }
    MessageConsumer<JsonObject> reload = vertx.eventBus().localConsumer(Addresses.CONFIG_RELOAD,
        message -> guard.reconfigure(AppConfig.from(message.body()).bridge()));
    // Browsers offer permessage-deflate; with it every socket compresses every envelope on its own, which doubled
    // the CPU of a 100-subscriber fan-out in the benchmark. Off unless bridge.websocketCompression says so.
    // Strict thread mode: every write happens on this verticle's loop, so a connection needs no cross-thread
    // outbound queue (a 1 024-slot MPSC array each, about 4.7 KB per idle connection).
    HttpServerOptions options = new HttpServerOptions()
        .setStrictThreadMode(true)
        .setPerMessageWebSocketCompressionSupported(config.websocketCompression())
        .setPerFrameWebSocketCompressionSupported(config.websocketCompression());
    return reload.completion().compose(v -> FanoutProgress.start(vertx))
        .compose(v -> ServerTls.load(vertx, "bridge.tls", config.tls()))
        .compose(tls -> vertx.createHttpServer(tls.apply(options))
            .requestHandler(router)
            .listen(config.port(), config.host())
            .onSuccess(tls::watch))
        .onSuccess(s -> server = s);
  }

  @Override
  public int actualPort() {
    return server.actualPort();
  }

  private void getStats(RoutingContext ctx) {
    long now = System.currentTimeMillis();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    JsonObject body = new JsonObject()
        .put("connections", stats.connectedClients())
        .put("subscriptions", stats.subscriptions())
        .put("busConsumers", stats.busConsumers())
        .put("refusedConnections", stats.refusedConnections())
        .put("refusedMessages", stats.refusedMessages())
        .put("rateLimited", stats.rateLimited())
        .put("slowConsumersClosed", stats.slowConsumers())
        .put("abusiveClosed", stats.abusiveClosed())
        .put("heapUsed", heap.getUsed())
        .put("heapCommitted", heap.getCommitted())
        .put("startedAt", stats.startedAt())
        .put("uptimeMs", now - stats.startedAt())
        .put("timestamp", now);
    withCluster(body);
    stateStats().onComplete(state -> {
      if (state.succeeded()) {
        body.put("eventsPublished", state.result().getLong("seq"))
            .put("eventsPerMinute", state.result().getLong("eventsPerMinute"));
      } else {
        body.put("eventsPublished", (Long) null).put("stateActor", "not answering");
      }
      Responses.json(ctx, 200, body);
    });
  }

  private JsonObject withCluster(JsonObject body) {
    JsonObject info = cluster.get();
    return info == null ? body : body.put("cluster", info);
  }

  private void publishMetrics() {
    stateStats().onSuccess(state -> vertx.eventBus().publish(Addresses.METRICS, new JsonObject()
        .put("activeSessions", state.getInteger("activeSessions"))
        .put("activeAgents", state.getInteger("activeAgents"))
        .put("eventsPerMinute", state.getLong("eventsPerMinute"))
        .put("connectedClients", stats.connectedClients())
        .put("timestamp", System.currentTimeMillis())));
  }

  private Future<JsonObject> stateStats() {
    return vertx.eventBus().<JsonObject>request(Addresses.STATE_STATS, null, STATS_REQUEST).map(m -> m.body());
  }
}
