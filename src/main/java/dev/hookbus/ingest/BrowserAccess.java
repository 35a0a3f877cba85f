package dev.hookbus.ingest;

import dev.hookbus.config.IngestConfig;
import dev.hookbus.security.HostAllowlist;
import dev.hookbus.security.OriginPolicy;
import dev.hookbus.security.RequestGuards;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CorsHandler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What web pages may do on the ingest port: the Host allowlist, then the Origin policy (the dashboard's own
 * origins plus {@code ingest.corsOrigins}), then CORS headers that echo the allowed origin. All three are
 * rebuilt on a config reload.
 */
final class BrowserAccess {
  private final String bindHost;
  private final int dashboardPort;
  private volatile HostAllowlist hosts;
  private volatile OriginPolicy origins;
  private volatile CorsHandler cors;

  /**
   * @param dashboardPort  the bridge's port (the dashboard's origins are at it), or 0 when there is no dashboard
   * @param dashboardHosts {@code bridge.allowedHosts}: names the dashboard may be opened under besides loopback
   */
  BrowserAccess(IngestConfig config, int dashboardPort, Collection<String> dashboardHosts) {
    this.bindHost = config.host();
    this.dashboardPort = dashboardPort;
    reconfigure(config, dashboardHosts);
  }

  /** Puts the three checks in front of everything else on the router. */
  void install(Router router) {
    router.route().handler(RequestGuards.hosts(() -> hosts, "ingest.allowedHosts"));
    router.route().handler(RequestGuards.origins(() -> origins, "ingest.corsOrigins"));
    router.route().handler(ctx -> cors.handle(ctx));
  }

  void reconfigure(IngestConfig config, Collection<String> dashboardHosts) {
    List<String> dashboardNames = new ArrayList<>(HostAllowlist.LOOPBACK_NAMES);
    dashboardNames.addAll(dashboardHosts);
    OriginPolicy policy = OriginPolicy.of(OriginPolicy.dashboardOrigins(dashboardPort, dashboardNames),
        config.corsOrigins());
    hosts = HostAllowlist.forBinding(bindHost, config.allowedHosts());
    origins = policy;
    cors = cors(policy);
  }

  private static CorsHandler cors(OriginPolicy policy) {
    CorsHandler cors = CorsHandler.create()
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS))
        .allowedHeaders(Set.of("content-type", "authorization"));
    return policy.allowsAny() ? cors.addOrigin("*") : cors.addOrigins(List.copyOf(policy.origins()));
  }
}
