package dev.hookbus.ingest;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.config.ViewerToken;
import dev.hookbus.security.AddressPatterns;
import dev.hookbus.security.Secrets;

import java.util.List;

/**
 * Who may read and decide approvals on the ingest port. With no tokens at all (the loopback default) anyone who
 * reaches the port, recorded as {@code local}. Otherwise a Bearer token: a viewer token ({@code bridge.tokens})
 * reads, and decides when its addresses include {@code hookbus.approvals.decide} (recorded under its name or
 * fingerprint); an ingest token reads but may not decide. Tokens swap on a config reload.
 */
final class ApprovalAccess {
  /** The caller, or why not: {@code refusal} is null when allowed. */
  record Caller(String who, boolean mayDecide, FailureCode refusal, String why) {
  }

  private volatile List<String> ingestTokens;
  private volatile List<ViewerToken> viewerTokens;

  ApprovalAccess(List<String> ingestTokens, List<ViewerToken> viewerTokens) {
    reconfigure(ingestTokens, viewerTokens);
  }

  void reconfigure(List<String> newIngestTokens, List<ViewerToken> newViewerTokens) {
    this.ingestTokens = List.copyOf(newIngestTokens);
    this.viewerTokens = List.copyOf(newViewerTokens);
  }

  Caller caller(String authorization) {
    List<ViewerToken> viewers = viewerTokens;
    List<String> ingest = ingestTokens;
    if (viewers.isEmpty() && ingest.isEmpty()) {
      return new Caller("local", true, null, null);
    }
    String presented = Secrets.bearer(authorization);
    for (ViewerToken viewer : viewers) {
      if (Secrets.matchesAny(presented, List.of(viewer.token()))) {
        boolean decides = new AddressPatterns(viewer.addresses()).allows(Addresses.APPROVALS_DECIDE);
        return new Caller(viewer.who(), decides, null, decides ? null
            : "this viewer token's addresses do not include " + Addresses.APPROVALS_DECIDE);
      }
    }
    if (Secrets.matchesAny(presented, ingest)) {
      return new Caller(null, false, null, "an ingest token may not decide; use a viewer token (bridge.tokens) whose"
          + " addresses include " + Addresses.APPROVALS_DECIDE);
    }
    return new Caller(null, false, FailureCode.UNAUTHORIZED, "a valid Authorization: Bearer token is required");
  }
}
