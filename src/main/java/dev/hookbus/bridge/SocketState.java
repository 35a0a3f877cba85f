package dev.hookbus.bridge;

import dev.hookbus.bus.Addresses;
import dev.hookbus.security.AddressPatterns;
import dev.hookbus.security.TokenBucket;

/** What the guard knows about one bridge socket; lives on the socket's event loop, like the guard. */
final class SocketState {
  /** Addresses the socket's token allows; null when no tokens are configured. */
  final AddressPatterns scope;
  final TokenBucket inbound;
  /** Who decides through this socket ({@code local} without tokens, else the token's name or fingerprint). */
  final String who;
  /** Whether it may send to {@code hookbus.approvals.decide}. */
  final boolean mayDecide;
  /** Counted by {@link DeciderPresence}: it may decide and listens on {@code hookbus.approvals}. */
  boolean countedAsDecider;
  int subscriptions;
  int violations;
  /** Bytes handed to the socket and not yet flushed to the network (vertx-web's transports; the WebSocket handler asks its channel). */
  long queuedBytes;
  boolean closing;

  SocketState(AddressPatterns scope, TokenBucket inbound, String who) {
    this.scope = scope;
    this.inbound = inbound;
    this.who = who;
    this.mayDecide = scope == null || scope.allows(Addresses.APPROVALS_DECIDE);
  }
}
