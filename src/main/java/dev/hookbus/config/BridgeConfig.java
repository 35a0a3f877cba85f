package dev.hookbus.config;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The bridge verticle: the SockJS event-bus bridge, the dashboard and the metrics ticker, with the limits
 * and access rules it enforces per socket.
 *
 * @param allowedOrigins browser origins that may connect besides the dashboard's own, {@code *} any
 * @param allowedHosts   Host names accepted besides the loopback names (or, bound beyond loopback, instead of any)
 * @param tokens         viewer tokens; when empty, anyone who can reach the port may watch
 * @param heartbeatIntervalMs how often a SockJS socket gets an {@code h} frame (SockJS's own default, 25 s)
 * @param websocketCompression whether browsers may negotiate permessage-deflate: each socket then compresses
 *                       every envelope on its own (CPU per subscriber per event, ~100 KB of native memory each)
 * @param tls            HTTPS and WSS on this port; null for plain HTTP
 */
public record BridgeConfig(String host, int port, int instances, long pingTimeoutMs, long heartbeatIntervalMs,
                           long replyTimeoutMs,
                           int maxConnections, int maxSubscriptionsPerSocket, int inboundRatePerSecond,
                           int inboundBurst, int maxClientMessageBytes, int maxQueuedBytesPerSocket,
                           int maxViolationsPerSocket, List<String> allowedOrigins, List<String> allowedHosts,
                           List<ViewerToken> tokens,
                           boolean websocketCompression, TlsConfig tls) {

  static BridgeConfig from(Section s) {
    return new BridgeConfig(
        s.string("host", "127.0.0.1"),
        s.integer("port", 3848, 0, 65535),
        s.integer("instances", 1, 1, 64),
        s.longValue("pingTimeoutMs", 10_000, 100, 3_600_000),
        s.longValue("heartbeatIntervalMs", 25_000, 50, 3_600_000),
        s.longValue("replyTimeoutMs", 30_000, 100, 3_600_000),
        s.integer("maxConnections", 20_000, 1, 1_000_000),
        s.integer("maxSubscriptionsPerSocket", 100, 1, 100_000),
        s.integer("inboundRatePerSecond", 20, 1, 1_000_000),
        s.integer("inboundBurst", 40, 1, 1_000_000),
        s.integer("maxClientMessageBytes", 64 * 1024, 64, 16 * 1024 * 1024),
        s.integer("maxQueuedBytesPerSocket", 1024 * 1024, 1024, 1024 * 1024 * 1024),
        s.integer("maxViolationsPerSocket", 20, 1, 1_000_000),
        s.strings("allowedOrigins", List.of()),
        s.strings("allowedHosts", List.of()),
        s.list("tokens", List.of(), item -> token(s, item)),
        s.bool("websocketCompression", false),
        TlsConfig.from(s, "tls"));
  }

  private static ViewerToken token(Section s, Object item) {
    if (!(item instanceof JsonObject json)) {
      throw new ConfigException(s.key("tokens") + " must hold objects {name?, token, addresses}");
    }
    Section t = new Section(s.key("tokens[]"), json);
    ViewerToken token = new ViewerToken(t.string("name", null), t.string("token", null),
        t.strings("addresses", null));
    if (token.token() == null || token.addresses() == null || token.addresses().isEmpty()) {
      throw new ConfigException(s.key("tokens") + " entries need a token and at least one address pattern");
    }
    t.done();
    return token;
  }

  public BridgeConfig withPort(int newPort) {
    return new BridgeConfig(host, newPort, instances, pingTimeoutMs, heartbeatIntervalMs, replyTimeoutMs, maxConnections,
        maxSubscriptionsPerSocket, inboundRatePerSecond, inboundBurst, maxClientMessageBytes,
        maxQueuedBytesPerSocket, maxViolationsPerSocket, allowedOrigins, allowedHosts, tokens,
        websocketCompression, tls);
  }

  @Override
  public String toString() {
    return "BridgeConfig[" + host + ":" + port + ", tokens=" + tokens.size() + "]";
  }
}
