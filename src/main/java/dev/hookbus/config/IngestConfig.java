package dev.hookbus.config;

import java.util.List;

/**
 * The ingest verticle: where hooks POST.
 *
 * @param bodyTimeoutMs how long a POST body may take to arrive in full, from the request's headers on
 * @param corsOrigins  web pages allowed besides the dashboard's own origins; {@code "*"} lets any page in
 * @param allowedHosts Host names accepted besides the loopback names (or, bound beyond loopback, instead of any)
 * @param tokens       bearer tokens; when any is set, every ingest route but the health checks needs one
 * @param maxInFlight  requests sent to the state actor and not yet answered, past which new events get OVERLOADED
 * @param tls          HTTPS on this port; null for plain HTTP
 */
public record IngestConfig(String host, int port, int instances, int maxBatch, long maxBodyBytes,
                           long bodyTimeoutMs, long replyTimeoutMs, List<String> corsOrigins,
                           List<String> allowedHosts, List<String> tokens, int maxInFlight, TlsConfig tls) {

  static IngestConfig from(Section s) {
    return new IngestConfig(
        s.string("host", "127.0.0.1"),
        s.integer("port", 3847, 0, 65535),
        s.integer("instances", 1, 1, 64),
        s.integer("maxBatch", 500, 1, 100_000),
        s.longValue("maxBodyBytes", 16L * 1024 * 1024, 1024, 1L << 30),
        s.longValue("bodyTimeoutMs", 30_000, 1, 3_600_000),
        s.longValue("replyTimeoutMs", 5_000, 1, 600_000),
        s.strings("corsOrigins", List.of()),
        s.strings("allowedHosts", List.of()),
        s.strings("tokens", List.of()),
        s.integer("maxInFlight", 1024, 1, 1_000_000),
        TlsConfig.from(s, "tls"));
  }

  public IngestConfig withPort(int newPort) {
    return new IngestConfig(host, newPort, instances, maxBatch, maxBodyBytes, bodyTimeoutMs, replyTimeoutMs,
        corsOrigins, allowedHosts, tokens, maxInFlight, tls);
  }

  @Override
  public String toString() {
    return "IngestConfig[" + host + ":" + port + ", tokens=" + tokens.size() + "]";
  }
}
