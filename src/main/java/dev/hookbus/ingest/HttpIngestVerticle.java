package dev.hookbus.ingest;

import dev.hookbus.bus.Refusal;
import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.config.AppConfig;
import dev.hookbus.config.ApprovalsConfig;
import dev.hookbus.config.ViewerToken;
import dev.hookbus.config.IngestConfig;
import dev.hookbus.metrics.HookbusMetrics;
import dev.hookbus.tls.ServerTls;
import dev.hookbus.web.HealthRoutes;
import dev.hookbus.web.Listening;
import dev.hookbus.web.Responses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Where hooks POST: parses and validates events, hands them to the state actor and answers the hook as soon
 * as the actor has given them a seq. Runs as several instances on one port.
 */
public class HttpIngestVerticle extends VerticleBase implements Listening {
  private final IngestConfig config;
  private final String dashboardUrl;
  private final HookbusMetrics metrics;
  private final long shutdownGraceMs;
  private boolean stopping;
  private EventParser parser;
  private StateClient state;
  private BearerAuth auth;
  private BrowserAccess browsers;
  private int dashboardPort;
  private List<String> dashboardHosts = List.of();
  private ApprovalsConfig approvalsConfig = AppConfig.defaults().approvals();
  private List<ViewerToken> viewerTokens = List.of();
  private ApprovalAccess approvalAccess;
  private ApprovalHolds holds;
  private Supplier<JsonObject> cluster = () -> null;
  private HttpServer server;

  public HttpIngestVerticle(IngestConfig config, String dashboardUrl, HookbusMetrics metrics) {
    this(config, dashboardUrl, metrics, 10_000);
  }

  /** @param shutdownGraceMs how long {@link #stop()} lets in-flight requests finish */
  public HttpIngestVerticle(IngestConfig config, String dashboardUrl, HookbusMetrics metrics, long shutdownGraceMs) {
    this.config = config;
    this.dashboardUrl = dashboardUrl;
    this.metrics = metrics;
    this.shutdownGraceMs = shutdownGraceMs;
  }

  /** In a cluster: adds {@code cluster} ({@link dev.hookbus.cluster.ClusterView#describe()}) to /health. */
  public HttpIngestVerticle withCluster(Supplier<JsonObject> clusterInfo) {
    this.cluster = clusterInfo == null ? () -> null : clusterInfo;
    return this;
  }

  /** The bridge's port and {@code bridge.allowedHosts}: where the dashboard that may read from ingest lives. */
  public HttpIngestVerticle withDashboard(int bridgePort, List<String> bridgeAllowedHosts) {
    this.dashboardPort = bridgePort;
    this.dashboardHosts = bridgeAllowedHosts;
    return this;
  }

  /** {@code approvals} and the bridge's viewer tokens, which may read and decide approvals here too. */
  public HttpIngestVerticle withApprovals(ApprovalsConfig approvals, List<ViewerToken> bridgeTokens) {
    this.approvalsConfig = approvals;
    this.viewerTokens = bridgeTokens;
    return this;
  }

  @Override
  public Future<?> start() {
    parser = new EventParser(config.maxBatch());
    state = new StateClient(vertx, config.replyTimeoutMs(), config.maxInFlight(), metrics);
    auth = new BearerAuth(config.tokens());
    browsers = new BrowserAccess(config, dashboardPort, dashboardHosts);
    Router router = Router.router(vertx);
    browsers.install(router);
    router.route().handler(auth);
    router.route().handler(this::refuseWhileStopping);
    JsonBody body = new JsonBody(vertx, config, state::refuse);
    router.post("/api/events").handler(body).handler(this::postEvents);
    router.get("/health").handler(ctx -> {
      JsonObject health = new JsonObject().put("status", "ok").put("timestamp", System.currentTimeMillis());
      JsonObject info = cluster.get();
      Responses.json(ctx, 200, info == null ? health : health.put("cluster", info));
    });
    HealthRoutes.install(router, vertx);
    router.get("/api/sessions").handler(this::getSessions);
    router.get("/metrics").handler(this::getMetrics);
    EventHistoryRoutes.mount(router, state);
    holds = new ApprovalHolds(vertx, approvalsConfig, new Deciders(vertx));
    approvalAccess = new ApprovalAccess(config.tokens(), viewerTokens);
    ClaudeRoutes.mount(router, body, state, holds);
    ApprovalRoutes.mount(router, body, state, approvalAccess, holds);
    OtlpRoutes.mount(router, JsonBody.raw(vertx, config, state::refuse), state, metrics);
    UsageRoutes.mount(router, state);
    router.get("/").handler(ctx -> ctx.redirect(dashboardUrl));
    Responses.installErrorHandlers(router);
    MessageConsumer<JsonObject> reload = vertx.eventBus().localConsumer(Addresses.CONFIG_RELOAD, this::reconfigure);
    return reload.completion().compose(v -> holds.start())
        .compose(v -> ServerTls.load(vertx, "ingest.tls", config.tls()))
        .compose(tls -> vertx.createHttpServer(tls.apply(new HttpServerOptions()))
            .requestHandler(router)
            .invalidRequestHandler(Responses.invalidRequestHandler())
            .listen(config.port(), config.host())
            .onSuccess(tls::watch))
        .onSuccess(s -> server = s);
  }

  /**
   * New requests get 503 SHUTTING_DOWN; held PermissionRequests answer {@code {}} at once; the other requests in flight
   * get up to the grace period to finish.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    if (holds != null) {
      holds.releaseAll();
    }
    return server == null ? Future.succeededFuture() : server.shutdown(shutdownGraceMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public int actualPort() {
    return server.actualPort();
  }

  /** Tokens, origins and allowed hosts are safe to change while running; the rest needs a restart. */
  private void reconfigure(Message<JsonObject> message) {
    AppConfig updated = AppConfig.from(message.body());
    auth.reconfigure(updated.ingest().tokens());
    browsers.reconfigure(updated.ingest(), updated.bridge().allowedHosts());
    approvalAccess.reconfigure(updated.ingest().tokens(), updated.bridge().tokens());
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
      parsed = parser.parse(JsonBody.value(ctx), System.currentTimeMillis());
    } catch (Refusal e) {
      state.refuse(ctx, e);
      return;
    }
    state.apply(parsed.events())
        .onSuccess(seqs -> Responses.json(ctx, 200, accepted(seqs, parsed.batch())))
        .onFailure(failure -> state.fail(ctx, failure));
  }

  /** {@code {"success":true,"seq":N}}, or {@code "seqs":[…]} for a batch: written as text, it is on every hook. */
  private static Buffer accepted(JsonArray seqs, boolean batch) {
    StringBuilder body = new StringBuilder(32 + (batch ? seqs.size() * 8 : 0)).append("{\"success\":true,");
    if (!batch) {
      body.append("\"seq\":").append(seqs.getLong(0));
    } else {
      body.append("\"seqs\":[");
      for (int i = 0; i < seqs.size(); i++) {
        body.append(i == 0 ? "" : ",").append(seqs.getLong(i));
      }
      body.append(']');
    }
    return Buffer.buffer(body.append('}').toString());
  }

  private void getSessions(RoutingContext ctx) {
    state.ask(Addresses.SYNC, null)
        .onSuccess(snapshot -> Responses.json(ctx, 200, snapshot))
        .onFailure(failure -> state.fail(ctx, failure));
  }

  private void getMetrics(RoutingContext ctx) {
    state.ask(Addresses.STATE_STATS, null)
        .onSuccess(metrics::stateStats)
        .onComplete(refreshed -> ctx.response()
            .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
            .end(metrics.registry().scrape()));
  }
}
