package dev.hookbus.bridge;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.config.BridgeConfig;
import dev.hookbus.config.ViewerToken;
import dev.hookbus.security.AddressPatterns;
import dev.hookbus.security.HostAllowlist;
import dev.hookbus.security.OriginPolicy;
import dev.hookbus.security.RequestGuards;
import dev.hookbus.security.Secrets;
import dev.hookbus.security.TokenBucket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * hookbus's rules on top of the bridge's own default-deny address permissions: viewer tokens and their address
 * scopes, allowed origins, connection and subscription caps, inbound size and rate limits, and closing sockets
 * that keep breaking them. A refused frame gets an {@code err} frame that says why (the bridge then adds its
 * generic {@code rejected}). The config is swapped whole on reload. One guard per bridge verticle instance: it and
 * every socket it admits live on that instance's event loop. {@link WebSocketBridge} and, for vertx-web's
 * transports, {@link VertxWebBridgeHook} ask it.
 */
final class BridgeGuard {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeGuard.class);

  private final BridgeStats stats;
  private BridgeConfig config;
  private HostAllowlist hosts;

  BridgeGuard(BridgeConfig config, BridgeStats stats) {
    this.stats = stats;
    reconfigure(config);
  }

  /** Limits, tokens, origins and hosts apply to new sockets, requests and frames from now on. */
  void reconfigure(BridgeConfig newConfig) {
    this.hosts = HostAllowlist.forBinding(newConfig.host(), newConfig.allowedHosts());
    this.config = newConfig;
  }

  /** The Host names the bridge port answers to. */
  HostAllowlist hosts() {
    return hosts;
  }

  /** The Origin rule ({@link OriginPolicy#bridgeAllows}) for an HTTP request or WebSocket upgrade on the port. */
  boolean originAllowed(HttpServerRequest request) {
    return OriginPolicy.bridgeAllows(request.getHeader(RequestGuards.ORIGIN), config.allowedOrigins(), hosts,
        request.localAddress().port(), RequestGuards.host(request));
  }

  BridgeConfig config() {
    return config;
  }

  /**
   * Decides on a new socket from its URI ({@code ?token=}) and {@code Authorization} header (the Origin was
   * checked on the route); its state, or null to refuse it.
   */
  SocketState admit(String uri, String authorization, Object remote) {
    BridgeConfig c = config;
    if (stats.connectedClients() >= c.maxConnections()) {
      refuse(remote, "connection limit (bridge.maxConnections) reached");
      return null;
    }
    ViewerToken token = null;
    if (!c.tokens().isEmpty()) {
      token = tokenOf(presentedToken(uri, authorization), c.tokens());
      if (token == null) {
        refuse(remote, "missing or unknown viewer token");
        return null;
      }
    }
    return new SocketState(token == null ? null : new AddressPatterns(token.addresses()),
        new TokenBucket(c.inboundRatePerSecond(), c.inboundBurst(), System.currentTimeMillis()),
        token == null ? "local" : token.who());
  }

  /** The same decision for any socket: {@code type} is REGISTER, SEND or PUBLISH. */
  boolean allowFrame(SocketState state, BridgeEventType type, JsonObject frame, BridgePeer peer) {
    String address = frame.getString("address");
    String problem = switch (type) {
      case REGISTER -> registerProblem(state, address);
      case SEND, PUBLISH -> inboundProblem(state, address, frame);
      default -> null;
    };
    if (problem == null) {
      return true;
    }
    stats.refusedMessages.increment();
    peer.send(errorFrame(problem, frame.getString("replyAddress")));
    if (++state.violations > config.maxViolationsPerSocket() && !state.closing) {
      state.closing = true;
      stats.abusiveClosed.increment();
      LOG.warn("closing bridge socket from {} after {} refused messages", peer.remoteAddress(), state.violations);
      peer.close(4008, "policy violation");
    }
    return false;
  }

  private String registerProblem(SocketState state, String address) {
    if (state.scope != null && !state.scope.allows(address)) {
      return "access_denied: " + address + " is outside this token's addresses";
    }
    if (state.subscriptions >= config.maxSubscriptionsPerSocket()) {
      return "too_many_subscriptions: at most " + config.maxSubscriptionsPerSocket() + " per socket";
    }
    return null;
  }

  private String inboundProblem(SocketState state, String address, JsonObject frame) {
    if (!state.inbound.tryTake(System.currentTimeMillis())) {
      stats.rateLimited.increment();
      return "rate_limited: at most " + config.inboundRatePerSecond() + " messages per second";
    }
    if (address != null && address.startsWith(Addresses.TOPICS_PREFIX)
        && !Addresses.TOPIC_NAME.matcher(address.substring(Addresses.TOPICS_PREFIX.length())).matches()) {
      return "invalid_topic: topic names are 1-64 of [A-Za-z0-9_.-]";
    }
    Object body = frame.getValue("body");
    int size = body == null ? 0 : Buffer.buffer(io.vertx.core.json.Json.encode(body)).length();
    if (size > config.maxClientMessageBytes()) {
      return "message_too_large: at most " + config.maxClientMessageBytes() + " bytes";
    }
    if (state.scope != null && !state.scope.allows(address)) {
      return "access_denied: " + address + " is outside this token's addresses";
    }
    return null;
  }

  boolean refuse(Object remote, String why) {
    stats.refusedConnections.increment();
    LOG.info("refused bridge connection from {}: {}", remote, why);
    return false;
  }

  /** What hookbus tells a client about a refused frame; with the reply address when the frame was a request. */
  static JsonObject errorFrame(String problem, String replyAddress) {
    JsonObject err = new JsonObject().put("type", "err").put("body", problem);
    if (replyAddress != null) {
      err.put("address", replyAddress).put("failureCode", -1).put("failureType", "RECIPIENT_FAILURE")
          .put("message", problem);
    }
    return err;
  }

  private static String presentedToken(String uri, String authorization) {
    List<String> fromQuery = new QueryStringDecoder(uri).parameters().get("token");
    if (fromQuery != null && !fromQuery.isEmpty()) {
      return fromQuery.get(0);
    }
    return Secrets.bearer(authorization);
  }

  private static ViewerToken tokenOf(String presented, List<ViewerToken> tokens) {
    ViewerToken found = null;
    for (ViewerToken token : tokens) {
      if (Secrets.matchesAny(presented, List.of(token.token())) && found == null) {
        found = token;
      }
    }
    return found;
  }

  /**
   * A decision from a socket: refused with {@code FORBIDDEN} when its token may not decide, else the frame's body
   * gets the socket's {@code decidedBy} (whatever the client put there). False when refused (the error was sent).
   */
  boolean stampDecision(SocketState state, JsonObject frame, BridgePeer peer) {
    String problem = !state.mayDecide ? "FORBIDDEN: this viewer token's addresses do not include "
        + Addresses.APPROVALS_DECIDE : !(frame.getValue("body") instanceof JsonObject) ? "INVALID_REQUEST: a decision"
        + " is {\"id\", \"behavior\": \"allow\"|\"deny\", \"message\"?}" : null;
    if (problem == null) {
      frame.getJsonObject("body").put("decidedBy", state.who);
      return true;
    }
    stats.refusedMessages.increment();
    JsonObject err = errorFrame(problem, frame.getString("replyAddress"));
    if (err.containsKey("address")) {
      err.put("failureCode", (state.mayDecide ? FailureCode.INVALID_REQUEST : FailureCode.FORBIDDEN).code());
    }
    peer.send(err);
    return false;
  }

}
