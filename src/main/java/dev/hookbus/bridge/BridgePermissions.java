package dev.hookbus.bridge;

import dev.hookbus.bus.Addresses;
import dev.hookbus.config.BridgeConfig;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What browsers may touch, built from {@link Addresses} only: they may listen to the {@code hookbus.} outbound
 * addresses, publish to topics, ask {@code hookbus.sync} and {@code hookbus.history}, and decide approvals
 * ({@code hookbus.approvals.decide}, stamped and checked by {@link BridgeGuard#stampDecision}). Everything else,
 * {@code internal.} first of all, is denied by the bridge's default-deny rules. hookbus never sends a request to
 * a browser-facing address, so no reply address of ours is ever open to browsers. The same lists serve
 * vertx-web's bridge ({@link #options}) and hookbus's WebSocket handler ({@link #mayReceive}, {@link #maySend}).
 */
final class BridgePermissions {
  /** The bridge's own cap, above any {@code bridge.maxSubscriptionsPerSocket}: hookbus enforces that one itself. */
  private static final int MAX_HANDLERS = 100_000;
  /** vertx-web's {@code maxAddressLength} default. */
  static final int MAX_ADDRESS_LENGTH = 200;

  private static final List<PermittedOptions> OUTBOUND = List.of(
      new PermittedOptions().setAddress(Addresses.EVENTS),
      new PermittedOptions().setAddress(Addresses.METRICS),
      new PermittedOptions().setAddress(Addresses.APPROVALS),
      new PermittedOptions().setAddressRegex(prefixRegex(Addresses.SESSIONS_PREFIX)),
      new PermittedOptions().setAddressRegex(prefixRegex(Addresses.AGENTS_PREFIX)),
      new PermittedOptions().setAddressRegex(prefixRegex(Addresses.TOPICS_PREFIX)));
  private static final List<PermittedOptions> INBOUND = List.of(
      new PermittedOptions().setAddressRegex(prefixRegex(Addresses.TOPICS_PREFIX)),
      new PermittedOptions().setAddress(Addresses.SYNC),
      new PermittedOptions().setAddress(Addresses.HISTORY),
      new PermittedOptions().setAddress(Addresses.APPROVALS_DECIDE));
  private static final List<Pattern> OUTBOUND_PATTERNS = patterns(OUTBOUND);
  private static final List<Pattern> INBOUND_PATTERNS = patterns(INBOUND);

  private BridgePermissions() {
  }

  static SockJSBridgeOptions options(BridgeConfig config) {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .setPingTimeout(config.pingTimeoutMs())
        .setReplyTimeout(config.replyTimeoutMs())
        .setMaxHandlersPerSocket(MAX_HANDLERS);
    OUTBOUND.forEach(options::addOutboundPermitted);
    INBOUND.forEach(options::addInboundPermitted);
    return options;
  }

  /** Whether a browser may register for {@code address}. */
  static boolean mayReceive(String address) {
    return matches(OUTBOUND_PATTERNS, address);
  }

  /** Whether a browser may send or publish to {@code address}. */
  static boolean maySend(String address) {
    return matches(INBOUND_PATTERNS, address);
  }

  private static boolean matches(List<Pattern> patterns, String address) {
    for (Pattern pattern : patterns) {
      if (pattern.matcher(address).matches()) {
        return true;
      }
    }
    return false;
  }

  private static List<Pattern> patterns(List<PermittedOptions> permitted) {
    return permitted.stream().map(p -> Pattern.compile(p.getAddress() != null ? Pattern.quote(p.getAddress())
        : p.getAddressRegex())).toList();
  }

  private static String prefixRegex(String prefix) {
    return Pattern.quote(prefix) + ".+";
  }
}
