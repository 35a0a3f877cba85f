package dev.hookbus.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The host names one port answers to, checked against every request's {@code Host} header: the defence against
 * DNS rebinding, where a web page makes its own name resolve to 127.0.0.1 and then talks to hookbus as if it were
 * its own site. On a loopback binding only the loopback names (any port) and the configured names pass; beyond
 * loopback, the configured names, or any Host when none is configured (a start that way logs a warning).
 */
public final class HostAllowlist {
  /** The names a browser uses for a server on loopback: no DNS involved, so no page can rebind them. */
  public static final List<String> LOOPBACK_NAMES = List.of("127.0.0.1", "localhost", "[::1]");

  private final Set<String> names;
  private final boolean acceptsAny;

  private HostAllowlist(Set<String> names, boolean acceptsAny) {
    this.names = names;
    this.acceptsAny = acceptsAny;
  }

  /**
   * @param bindHost   the interface the port is bound to ({@code ingest.host}, {@code bridge.host})
   * @param configured the extra host names ({@code ingest.allowedHosts}, {@code bridge.allowedHosts})
   */
  public static HostAllowlist forBinding(String bindHost, Collection<String> configured) {
    Set<String> names = new LinkedHashSet<>();
    boolean loopback = isLoopback(bindHost);
    if (loopback) {
      names.addAll(LOOPBACK_NAMES);
    }
    configured.forEach(name -> names.add(normalize(name)));
    return new HostAllowlist(Set.copyOf(names), !loopback && configured.isEmpty());
  }

  /** True when bound beyond loopback with no allowed hosts configured: every Host passes. */
  public boolean acceptsAny() {
    return acceptsAny;
  }

  /** The names that pass, lower case, IPv6 literals in brackets. Empty when {@link #acceptsAny()}. */
  public Set<String> names() {
    return names;
  }

  /** Whether a request with this {@code Host} header (null when it sent none) may be served. */
  public boolean allows(String hostHeader) {
    if (acceptsAny) {
      return true;
    }
    String name = hostName(hostHeader);
    return name != null && names.contains(name);
  }

  /** Whether a bare host name (from an Origin, say) is one of the listed names; never true just by acceptsAny. */
  public boolean lists(String hostName) {
    return hostName != null && names.contains(normalize(hostName));
  }

  /** Whether an interface to bind is loopback only. */
  public static boolean isLoopback(String bindHost) {
    return bindHost.equals("localhost") || bindHost.startsWith("127.") || bindHost.equals("::1")
        || bindHost.equals("[::1]");
  }

  /**
   * The host part of a {@code Host} header ({@code name}, {@code name:port}, {@code [v6]} or {@code [v6]:port}),
   * lower case, or null when it is missing or malformed.
   */
  static String hostName(String authority) {
    if (authority == null || authority.isEmpty()) {
      return null;
    }
    int hostEnd;
    if (authority.startsWith("[")) {
      hostEnd = authority.indexOf(']') + 1;
      if (hostEnd == 0) {
        return null;
      }
    } else {
      hostEnd = authority.indexOf(':') < 0 ? authority.length() : authority.indexOf(':');
    }
    String host = authority.substring(0, hostEnd);
    String rest = authority.substring(hostEnd);
    boolean portOk = rest.isEmpty() || (rest.length() > 1 && rest.charAt(0) == ':'
        && rest.substring(1).chars().allMatch(c -> c >= '0' && c <= '9'));
    return host.isEmpty() || !portOk ? null : host.toLowerCase(Locale.ROOT);
  }

  /** A configured name as the Host header would carry it: lower case, a bare IPv6 literal put in brackets. */
  static String normalize(String name) {
    String lower = name.trim().toLowerCase(Locale.ROOT);
    return lower.contains(":") && !lower.startsWith("[") ? "[" + lower + "]" : lower;
  }
}
