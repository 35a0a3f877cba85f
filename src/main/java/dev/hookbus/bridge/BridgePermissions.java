package dev.hookbus.bridge;

import dev.hookbus.bus.Addresses;
import dev.hookbus.config.BridgeConfig;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;

import java.util.regex.Pattern;

/**
 * What browsers may touch, built from {@link Addresses} only: they may listen to the {@code hookbus.} outbound
 * addresses, publish to topics, and ask {@code hookbus.sync} and {@code hookbus.history}. Everything else,
 * {@code internal.} first of all, is denied by the bridge's default-deny rules. hookbus never sends a request to
 * a browser-facing address, so no reply address of ours is ever open to browsers.
 */
final class BridgePermissions {
  /** The bridge's own cap, above any {@code bridge.maxSubscriptionsPerSocket}: hookbus enforces that one itself. */
  private static final int MAX_HANDLERS = 100_000;

  private BridgePermissions() {
  }

  static SockJSBridgeOptions options(BridgeConfig config) {
    return new SockJSBridgeOptions()
        .setPingTimeout(config.pingTimeoutMs())
        .setReplyTimeout(config.replyTimeoutMs())
        .setMaxHandlersPerSocket(MAX_HANDLERS)
        .addOutboundPermitted(new PermittedOptions().setAddress(Addresses.EVENTS))
        .addOutboundPermitted(new PermittedOptions().setAddress(Addresses.METRICS))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(prefixRegex(Addresses.SESSIONS_PREFIX)))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(prefixRegex(Addresses.AGENTS_PREFIX)))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(prefixRegex(Addresses.TOPICS_PREFIX)))
        .addInboundPermitted(new PermittedOptions().setAddressRegex(prefixRegex(Addresses.TOPICS_PREFIX)))
        .addInboundPermitted(new PermittedOptions().setAddress(Addresses.SYNC))
        .addInboundPermitted(new PermittedOptions().setAddress(Addresses.HISTORY));
  }

  private static String prefixRegex(String prefix) {
    return Pattern.quote(prefix) + ".+";
  }
}
