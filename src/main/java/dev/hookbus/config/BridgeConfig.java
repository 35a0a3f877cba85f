package dev.hookbus.config;

/** The bridge verticle: the SockJS event-bus bridge, the dashboard and the metrics ticker. */
public record BridgeConfig(String host, int port, int instances, long pingTimeoutMs, long replyTimeoutMs) {

  static BridgeConfig from(Section s) {
    return new BridgeConfig(
        s.string("host", "127.0.0.1"),
        s.integer("port", 3848, 0, 65535),
        s.integer("instances", 1, 1, 64),
        s.longValue("pingTimeoutMs", 10_000, 100, 3_600_000),
        s.longValue("replyTimeoutMs", 30_000, 100, 3_600_000));
  }

  public BridgeConfig withPort(int newPort) {
    return new BridgeConfig(host, newPort, instances, pingTimeoutMs, replyTimeoutMs);
  }
}
