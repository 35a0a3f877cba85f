package dev.hookbus.bridge;

import dev.hookbus.bus.Addresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

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

  private final Map<Long, String> encodedEnvelopes = new LinkedHashMap<>(ENCODED_CACHE, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
      return size() > ENCODED_CACHE;
    }
  };

  Deliveries(BridgeGuard guard, BridgeStats stats) {
    this.guard = guard;
    this.stats = stats;
  }

  void deliver(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    SocketState state = guard.state(socket);
    if (state == null || state.closing) {
      event.complete(false);
      return;
    }
    Buffer frame = Buffer.buffer(encode(event.getRawMessage()));
    int size = frame.length();
    if (state.queuedBytes.addAndGet(size) > guard.config().maxQueuedBytesPerSocket()) {
      state.queuedBytes.addAndGet(-size);
      state.closing = true;
      stats.slowConsumers.increment();
      LOG.warn("closing bridge socket from {}: slow consumer ({} bytes unsent)", socket.remoteAddress(),
          state.queuedBytes.get());
      // The close frame queues behind the data the client does not read, so the socket may linger at the TCP
      // level until the peer goes; it gets nothing more from now on and no longer counts as connected.
      socket.close(4001, "slow consumer");
      stats.disconnected(socket);
    } else {
      socket.write(frame).onComplete(done -> state.queuedBytes.addAndGet(-size));
    }
    event.complete(false);
  }

  /**
   * The frame the bridge would have sent; the envelope part comes from the cache when another socket had it.
   * Only published envelopes are cached: a reply (a snapshot, a history page) carries a seq too, but is another
   * body, and goes to one socket only.
   */
  private String encode(JsonObject raw) {
    if (raw.size() == 3 && isEnvelopeAddress(raw.getString("address"))
        && raw.getValue("body") instanceof JsonObject body && body.getValue("seq") instanceof Number seq
        && body.containsKey("receivedAt")) {
      String encodedBody;
      synchronized (encodedEnvelopes) {
        encodedBody = encodedEnvelopes.computeIfAbsent(seq.longValue(), s -> body.encode());
      }
      return "{\"type\":\"rec\",\"address\":" + io.vertx.core.json.Json.encode(raw.getString("address"))
          + ",\"body\":" + encodedBody + "}";
    }
    return raw.encode();
  }

  private static boolean isEnvelopeAddress(String address) {
    return address != null && (address.equals(Addresses.EVENTS) || address.startsWith(Addresses.SESSIONS_PREFIX)
        || address.startsWith(Addresses.AGENTS_PREFIX));
  }
}
