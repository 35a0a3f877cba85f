package dev.hookbus.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which browser pages may talk to hookbus. A browser names the page behind every cross-origin request in
 * {@code Origin} (and on newer browsers says {@code Sec-Fetch-Site}); hooks, curl and the CLI send neither.
 * So a request without them is not a web page and passes, and one with them passes only from an allowed origin.
 */
public final class OriginPolicy {
  private static final String ANY = "*";

  private final Set<String> allowed;
  private final boolean any;

  private OriginPolicy(Set<String> allowed, boolean any) {
    this.allowed = allowed;
    this.any = any;
  }

  /**
   * The ingest port's policy: the dashboard's own origins plus {@code ingest.corsOrigins} ({@code "*"} there,
   * written by the operator, lets any page in).
   */
  public static OriginPolicy of(Collection<String> dashboardOrigins, Collection<String> extraOrigins) {
    Set<String> allowed = new LinkedHashSet<>();
    dashboardOrigins.forEach(origin -> allowed.add(normalize(origin)));
    extraOrigins.forEach(origin -> allowed.add(normalize(origin)));
    boolean any = allowed.remove(ANY);
    return new OriginPolicy(Set.copyOf(allowed), any);
  }

  /**
   * Where the dashboard may be served from: http and https (for when TLS comes), each of {@code hostNames},
   * at the bridge's port. Empty when the port is not known ({@code port <= 0}).
   */
  public static List<String> dashboardOrigins(int port, Collection<String> hostNames) {
    List<String> origins = new ArrayList<>();
    if (port > 0) {
      for (String scheme : List.of("http", "https")) {
        hostNames.forEach(host -> origins.add(scheme + "://" + HostAllowlist.normalize(host) + ":" + port));
      }
    }
    return origins;
  }

  /** Whether a request with these headers (either may be null) may be served. */
  public boolean allows(String origin, String secFetchSite) {
    if (origin == null) {
      return !"cross-site".equalsIgnoreCase(secFetchSite);
    }
    return any || allowed.contains(normalize(origin));
  }

  /** True when the operator let any origin in with {@code "*"}. */
  public boolean allowsAny() {
    return any;
  }

  /** The allowed origins (without {@code "*"}), as a CORS handler should echo them. */
  public Set<String> origins() {
    return allowed;
  }

  /**
   * Whether a request comes from a web page at all: it names an Origin, or says it is cross-site or same-site.
   * Routes that decide or change state refuse these, whatever the allowed origins.
   */
  public static boolean fromWebPage(String origin, String secFetchSite) {
    return origin != null || "cross-site".equalsIgnoreCase(secFetchSite) || "same-site".equalsIgnoreCase(secFetchSite);
  }

  /**
   * The bridge's rule for a page that opens a socket or calls {@code /eventbus/*}. Allowed: no Origin (not a
   * browser); an origin listed in {@code bridge.allowedOrigins} (or {@code "*"} there); an http(s) origin whose
   * host is one of the bridge's allowed host names at the bridge's own port (the dashboard, under any of its
   * loopback names); or the origin of the very host:port the request was sent to, once that Host has passed the
   * allowlist (the dashboard behind a port forward or proxy). A rebinding page's Host never passes the allowlist
   * on loopback, and a page served from another port of the same machine has another origin.
   *
   * @param requestHost the request's Host header
   * @param ownPort     the port the bridge listens on
   */
  public static boolean bridgeAllows(String origin, Collection<String> allowedOrigins, HostAllowlist hosts,
                                     int ownPort, String requestHost) {
    if (origin == null) {
      return true;
    }
    String normalized = normalize(origin);
    for (String listed : allowedOrigins) {
      if (listed.equals(ANY) || normalize(listed).equals(normalized)) {
        return true;
      }
    }
    URI uri;
    try {
      uri = new URI(normalized);
    } catch (URISyntaxException notAnOrigin) {
      return false;
    }
    String scheme = uri.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
      return false;
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    if (hosts.lists(uri.getHost()) && port == ownPort) {
      return true;
    }
    return requestHost != null && hosts.allows(requestHost)
        && uri.getRawAuthority().equals(requestHost.toLowerCase(Locale.ROOT));
  }

  private static String normalize(String origin) {
    String trimmed = origin.trim();
    return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1).toLowerCase(Locale.ROOT)
        : trimmed.toLowerCase(Locale.ROOT);
  }
}
