package dev.hookbus.bridge;

import dev.hookbus.security.AddressPatterns;
import dev.hookbus.security.TokenBucket;

/** What the guard knows about one bridge socket; lives on the socket's event loop, like the guard. */
final class SocketState {
  /** Addresses the socket's token allows; null when no tokens are configured. */
  final AddressPatterns scope;
  final TokenBucket inbound;
  int subscriptions;
  int violations;
  /** Bytes handed to the socket and not yet flushed to the network (vertx-web's transports; the WebSocket handler asks its channel). */
  long queuedBytes;
  boolean closing;

  SocketState(AddressPatterns scope, TokenBucket inbound) {
    this.scope = scope;
    this.inbound = inbound;
  }
}
