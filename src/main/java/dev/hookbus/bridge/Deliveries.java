package dev.hookbus.bridge;

import dev.hookbus.bus.Addresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes the bridge's outbound {@code rec} frames to browsers itself (the RECEIVE hook then tells the bridge not
 * to), for two reasons the bridge does not cover:
 * <ul>
 *   <li>a socket that stops reading must not grow memory without bound: unflushed bytes per socket are counted
 *   and past {@code bridge.maxQueuedBytesPerSocket} the socket gets nothing more and is closed as a slow
 *   consumer;</li>
 *   <li>an envelope delivered to many sockets is encoded once, not once per socket.</li>
 * </ul>
 */
final class Deliveries {
  private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);
  private static final int ENCODED_CACHE = 512;

  private final BridgeGuard guard;
  private final BridgeStats stats;
  private final Function<SockJSSocket, SocketState> states;

  private final Map<Long, Encoded> encodedEnvelopes = new LinkedHashMap<>(ENCODED_CACHE, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Encoded> eldest) {
      return size() > ENCODED_CACHE;
    }
  };

  /** One envelope encoded once, and its whole {@code rec} frame per address it was published on. */
  private static final class Encoded {
    final String body;
    final Map<String, Buffer> frames = new HashMap<>(4);

    Encoded(String body) {
      this.body = body;
    }
  }

  Deliveries(BridgeGuard guard, BridgeStats stats, Function<SockJSSocket, SocketState> states) {
    this.guard = guard;
    this.stats = stats;
    this.states = states;
  }

  void deliver(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    SocketState state = states.apply(socket);
    if (state == null || state.closing) {
      event.complete(false);
      return;
    }
    Buffer frame = encode(event.getRawMessage());
    int size = frame.length();
    if (state.queuedBytes + size > guard.config().maxQueuedBytesPerSocket()) {
      state.closing = true;
      stats.slowConsumers.increment();
      LOG.warn("closing bridge socket from {}: slow consumer ({} bytes unsent)", socket.remoteAddress(),
          state.queuedBytes);
      // The close frame queues behind the data the client does not read, so the socket may linger at the TCP
      // level until the peer goes; it gets nothing more from now on and no longer counts as connected.
      socket.close(4001, "slow consumer");
      stats.disconnected(socket);
    } else {
      state.queuedBytes += size;
      socket.write(frame).onComplete(done -> state.queuedBytes -= size);
    }
    event.complete(false);
  }

  /**
   * The frame the bridge would have sent. For an envelope the whole frame comes from the cache when another socket
   * had it: the sockets share one read-only buffer, so N subscribers cost one encode, not N. Only published
   * envelopes are cached: a reply (a snapshot, a history page) carries a seq too, but is another body, and goes to
   * one socket only.
   */
  private Buffer encode(JsonObject raw) {
    String address = raw.getString("address");
    if (raw.size() == 3 && isEnvelopeAddress(address)
        && raw.getValue("body") instanceof JsonObject body && body.getValue("seq") instanceof Number seq
        && body.containsKey("receivedAt")) {
      Encoded encoded = encodedEnvelopes.computeIfAbsent(seq.longValue(), s -> new Encoded(body.encode()));
      return encoded.frames.computeIfAbsent(address, a -> Buffer.buffer("{\"type\":\"rec\",\"address\":"
          + io.vertx.core.json.Json.encode(a) + ",\"body\":" + encoded.body + "}"));
    }
    return Buffer.buffer(raw.encode());
  }

  private static boolean isEnvelopeAddress(String address) {
    return address != null && (address.equals(Addresses.EVENTS) || address.startsWith(Addresses.SESSIONS_PREFIX)
        || address.startsWith(Addresses.AGENTS_PREFIX));
  }
}
