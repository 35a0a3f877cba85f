package dev.hookbus.bridge;

import dev.hookbus.bus.EncodedJson;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.Json;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One event-bus consumer per address per verticle instance, not one per socket: registered when the first socket
 * of the instance subscribes, removed a sweep or two after the last one left. A message becomes one {@code rec} frame, encoded
 * once, that every subscribed socket of the instance gets. An envelope published on several addresses (events,
 * its session, its agent) reaches them as the same object ({@code SharedJsonCodec}); its body is encoded once, or
 * not at all here when the actor's encoding for the journal came with it ({@link EncodedJson}).
 */
final class AddressFanout {
  private static final BridgeSocket[] NONE = new BridgeSocket[0];
  private static final int RECENT_BODIES = 4;

  private final EventBus bus;
  private final Outbox outbox;
  private final BridgeStats stats;
  private final Map<String, Subscribers> byAddress = new HashMap<>();
  private final Object[] recentBodies = new Object[RECENT_BODIES];
  private final String[] recentJson = new String[RECENT_BODIES];
  private int nextRecent;

  /** The sockets as an array replaced on every change: a delivery walks a stable copy while sockets leave. */
  private static final class Subscribers {
    final String address;
    /** {@code {"type":"rec","address":"<address>","body":}}: the same for every message to the address. */
    final String recPrefix;
    MessageConsumer<Object> consumer;
    BridgeSocket[] sockets = NONE;
    /** No socket at the last sweep: the next one removes the consumer if none came back. */
    boolean emptyAtLastSweep;

    Subscribers(String address) {
      this.address = address;
      this.recPrefix = "{\"type\":\"rec\",\"address\":" + Json.encode(address) + ",\"body\":";
    }
  }

  AddressFanout(EventBus bus, Outbox outbox, BridgeStats stats) {
    this.bus = bus;
    this.outbox = outbox;
    this.stats = stats;
  }

  void subscribe(String address, BridgeSocket socket) {
    Subscribers subscribers = byAddress.get(address);
    if (subscribers == null) {
      Subscribers created = new Subscribers(address);
      // The handler holds its own subscribers: a message still queued for a consumer that was just removed
      // cannot reach the sockets of the consumer registered after it.
      created.consumer = bus.localConsumer(address, message -> deliver(created, message));
      byAddress.put(address, created);
      subscribers = created;
      stats.busConsumers.incrementAndGet();
    }
    subscribers.emptyAtLastSweep = false;
    BridgeSocket[] now = Arrays.copyOf(subscribers.sockets, subscribers.sockets.length + 1);
    now[now.length - 1] = socket;
    subscribers.sockets = now;
  }

  void unsubscribe(String address, BridgeSocket socket) {
    Subscribers subscribers = byAddress.get(address);
    if (subscribers == null) {
      return;
    }
    BridgeSocket[] was = subscribers.sockets;
    int index = indexOf(was, socket);
    if (index < 0) {
      return;
    }
    if (was.length == 1) {
      // The consumer stays until a sweep finds it still unused: messages already on their way to it are dropped
      // quietly here instead of by the bus (with a warning each), and a socket that comes back reuses it.
      subscribers.sockets = NONE;
      return;
    }
    BridgeSocket[] now = new BridgeSocket[was.length - 1];
    System.arraycopy(was, 0, now, 0, index);
    System.arraycopy(was, index + 1, now, index, was.length - index - 1);
    subscribers.sockets = now;
  }

  /** Removes the consumers no socket has used since the sweep before this one; called by the verticle's timer. */
  void sweep() {
    byAddress.values().removeIf(subscribers -> {
      if (subscribers.sockets.length > 0) {
        subscribers.emptyAtLastSweep = false;
        return false;
      }
      if (!subscribers.emptyAtLastSweep) {
        subscribers.emptyAtLastSweep = true;
        return false;
      }
      subscribers.consumer.unregister();
      stats.busConsumers.decrementAndGet();
      return true;
    });
  }

  private void deliver(Subscribers subscribers, Message<Object> message) {
    if (subscribers.sockets.length == 0) {
      return;
    }
    OutboundFrame frame = new OutboundFrame(subscribers.recPrefix + encodedBody(message.body()) + "}");
    for (BridgeSocket socket : subscribers.sockets) {
      outbox.add(socket, frame);
    }
  }

  private String encodedBody(Object body) {
    for (int i = 0; i < RECENT_BODIES; i++) {
      if (recentBodies[i] == body && body != null) {
        return recentJson[i];
      }
    }
    String json = EncodedJson.encode(body);
    recentBodies[nextRecent] = body;
    recentJson[nextRecent] = json;
    nextRecent = (nextRecent + 1) % RECENT_BODIES;
    return json;
  }

  private static int indexOf(BridgeSocket[] sockets, BridgeSocket socket) {
    for (int i = 0; i < sockets.length; i++) {
      if (sockets[i] == socket) {
        return i;
      }
    }
    return -1;
  }
}
