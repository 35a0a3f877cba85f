package dev.hookbus.ingest;

import dev.hookbus.bus.FailureCode;
import dev.hookbus.security.Secrets;
import dev.hookbus.web.Responses;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * When {@code ingest.tokens} is set, every ingest route but the health checks (and the approval routes, see
 * {@link ApprovalAccess}) needs
 * {@code Authorization: Bearer <token>}. The token list can be swapped while running.
 */
final class BearerAuth implements Handler<RoutingContext> {
  private List<String> tokens;

  BearerAuth(List<String> tokens) {
    this.tokens = tokens;
  }

  void reconfigure(List<String> newTokens) {
    this.tokens = newTokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    List<String> current = tokens;
    // The approval routes check their own tokens: a viewer token may stand in for an ingest token there.
    if (current.isEmpty() || ctx.request().path().startsWith("/health")
        || ctx.request().path().startsWith(ApprovalRoutes.PATH)
        || Secrets.matchesAny(Secrets.bearer(ctx.request().getHeader("Authorization")), current)) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"hookbus\"");
    Responses.error(ctx, FailureCode.UNAUTHORIZED, "a valid Authorization: Bearer token is required");
  }
}
