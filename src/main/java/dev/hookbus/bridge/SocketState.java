package dev.hookbus.bridge;

import dev.hookbus.security.AddressPatterns;
import dev.hookbus.security.TokenBucket;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What the guard knows about one bridge socket. */
final class SocketState {
  /** Addresses the socket's token allows; null when no tokens are configured. */
  final AddressPatterns scope;
  final TokenBucket inbound;
  final AtomicInteger subscriptions = new AtomicInteger();
  final AtomicInteger violations = new AtomicInteger();
  /** Bytes handed to the socket and not yet flushed to the network. */
  final AtomicLong queuedBytes = new AtomicLong();
  volatile boolean closing;

  SocketState(AddressPatterns scope, TokenBucket inbound) {
    this.scope = scope;
    this.inbound = inbound;
  }
}
