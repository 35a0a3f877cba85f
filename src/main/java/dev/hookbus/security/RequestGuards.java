package dev.hookbus.security;

import dev.hookbus.bus.FailureCode;
import dev.hookbus.web.Responses;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The route handlers that put {@link HostAllowlist} and {@link OriginPolicy} in front of a router. They answer
 * before any body is read, so a refused request never reaches a handler that could change state.
 */
public final class RequestGuards {
  public static final String ORIGIN = "Origin";
  public static final String SEC_FETCH_SITE = "Sec-Fetch-Site";

  private RequestGuards() {
  }

  /** 421 {@code MISDIRECTED_HOST} unless the Host is allowed; {@code configKey} tells the operator where to add it. */
  public static Handler<RoutingContext> hosts(Supplier<HostAllowlist> allowlist, String configKey) {
    return ctx -> {
      if (allowlist.get().allows(host(ctx.request()))) {
        ctx.next();
      } else {
        Responses.error(ctx, FailureCode.MISDIRECTED_HOST,
            "this Host is not a name hookbus answers to on this port; add it to " + configKey + " if it should be");
      }
    };
  }

  /** 403 {@code FORBIDDEN_ORIGIN} for a web page {@code policy} does not allow. */
  public static Handler<RoutingContext> origins(Supplier<OriginPolicy> policy, String configKey) {
    return origins(request -> policy.get().allows(request.getHeader(ORIGIN), request.getHeader(SEC_FETCH_SITE)),
        "web pages of this origin may not use this port; add the origin to " + configKey + " if it should");
  }

  /** 403 {@code FORBIDDEN_ORIGIN}, saying {@code why}, for a request {@code allowed} refuses. */
  public static Handler<RoutingContext> origins(Predicate<HttpServerRequest> allowed, String why) {
    return ctx -> {
      if (allowed.test(ctx.request())) {
        ctx.next();
      } else {
        Responses.error(ctx, FailureCode.FORBIDDEN_ORIGIN, why);
      }
    };
  }

  /**
   * For routes that decide or change state beyond hook ingestion (approval decisions): refuses every request
   * that comes from a web page, whatever {@code corsOrigins} allows. Browsers use such decisions through the
   * bridge; other clients call the route directly (with a token where tokens are set).
   */
  public static Handler<RoutingContext> noBrowserWrites() {
    return origins(request -> !OriginPolicy.fromWebPage(request.getHeader(ORIGIN), request.getHeader(SEC_FETCH_SITE)),
        "this route takes no requests from web pages; browsers use it through the bridge");
  }

  /** The Host header; on HTTP/2 the :authority pseudo-header stands in for it. Null when there is neither. */
  public static String host(HttpServerRequest request) {
    String host = request.getHeader(HttpHeaders.HOST);
    if (host == null && request.version() == HttpVersion.HTTP_2 && request.authority() != null) {
      return request.authority().toString();
    }
    return host;
  }
}
