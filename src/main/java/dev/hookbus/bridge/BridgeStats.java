package dev.hookbus.bridge;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Who is connected to the bridge and what they subscribe to. One instance is shared by every bridge verticle
 * instance (they run on different event loops), hence the concurrent maps. Subscribers per address are counted
 * as they come and go, so {@code /health} does not walk every socket (10 000 of them are a normal load).
 */
public final class BridgeStats {
  private final Map<Object, Map<String, Integer>> subscriptionsBySocket = new ConcurrentHashMap<>();
  private final Map<String, Integer> subscribersByAddress = new ConcurrentHashMap<>();
  private final long startedAt = System.currentTimeMillis();
  /** Sockets refused at connection: bad or missing token, foreign origin, too many connections. */
  final LongAdder refusedConnections = new LongAdder();
  /** REGISTER, SEND or PUBLISH refused: outside the token's addresses, over a limit, bad topic. */
  final LongAdder refusedMessages = new LongAdder();
  /** Inbound messages over the per-socket rate. */
  final LongAdder rateLimited = new LongAdder();
  /** Sockets closed because they stopped reading. */
  final LongAdder slowConsumers = new LongAdder();
  /** Sockets closed for repeated violations. */
  final LongAdder abusiveClosed = new LongAdder();
  /** Event-bus consumers of hookbus's WebSocket handler: one per address per bridge instance, not per socket. */
  final AtomicInteger busConsumers = new AtomicInteger();
  /** Sockets that may decide approvals, as ingest learns them. */
  final DeciderPresence deciders = new DeciderPresence();

  /** Sockets of hookbus's WebSocket handler, which keep their own subscriptions (no map per socket here). */
  private final AtomicInteger ownSockets = new AtomicInteger();

  void joined() {
    ownSockets.incrementAndGet();
  }

  void left(List<String> subscriptions) {
    ownSockets.decrementAndGet();
    subscriptions.forEach(address -> addSubscribers(address, -1));
  }

  void subscribed(String address) {
    addSubscribers(address, 1);
  }

  void unsubscribed(String address) {
    addSubscribers(address, -1);
  }

  void connected(Object socket) {
    subscriptionsBySocket.put(socket, new ConcurrentHashMap<>());
  }

  void disconnected(Object socket) {
    Map<String, Integer> subscriptions = subscriptionsBySocket.remove(socket);
    if (subscriptions != null) {
      subscriptions.forEach((address, count) -> addSubscribers(address, -count));
    }
  }

  void registered(Object socket, String address) {
    Map<String, Integer> subscriptions = subscriptionsBySocket.get(socket);
    if (subscriptions != null) {
      subscriptions.merge(address, 1, Integer::sum);
      addSubscribers(address, 1);
    }
  }

  void unregistered(Object socket, String address) {
    Map<String, Integer> subscriptions = subscriptionsBySocket.get(socket);
    // A socket's events arrive on its own event loop, one at a time: check-then-act is safe per socket.
    if (subscriptions != null && subscriptions.containsKey(address)) {
      subscriptions.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
      addSubscribers(address, -1);
    }
  }

  private void addSubscribers(String address, int delta) {
    subscribersByAddress.compute(address, (a, n) -> {
      int total = (n == null ? 0 : n) + delta;
      return total > 0 ? total : null;
    });
  }

  public int connectedClients() {
    return subscriptionsBySocket.size() + ownSockets.get();
  }

  /** Subscribers per address, sorted by address. */
  public Map<String, Integer> channelStats() {
    return new TreeMap<>(subscribersByAddress);
  }

  public long startedAt() {
    return startedAt;
  }

  public long refusedConnections() {
    return refusedConnections.sum();
  }

  public long refusedMessages() {
    return refusedMessages.sum();
  }

  public long rateLimited() {
    return rateLimited.sum();
  }

  public long slowConsumers() {
    return slowConsumers.sum();
  }

  public long abusiveClosed() {
    return abusiveClosed.sum();
  }

  public int busConsumers() {
    return busConsumers.get();
  }

  public int subscriptions() {
    return channelStats().values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The {@code /health} body of the seed's websocket server. */
  public JsonObject health() {
    Map<String, Integer> channels = channelStats();
    return new JsonObject()
        .put("status", "ok")
        .put("connectedClients", connectedClients())
        .put("activeChannels", channels.size())
        .put("channelStats", new JsonObject(Map.copyOf(channels)))
        .put("timestamp", System.currentTimeMillis());
  }

  /** Connected sockets, subscriptions and the bridge's refusals as meters, read from these counters. */
  public void registerMeters(MeterRegistry registry) {
    Gauge.builder("hookbus_bridge_sockets", this, BridgeStats::connectedClients)
        .description("connected bridge sockets").register(registry);
    Gauge.builder("hookbus_bridge_subscriptions", this, BridgeStats::subscriptions)
        .description("bridge subscriptions").register(registry);
    Gauge.builder("hookbus_bridge_bus_consumers", this, BridgeStats::busConsumers)
        .description("event-bus consumers of the WebSocket bridge (one per address per instance)").register(registry);
    counter(registry, "hookbus_bridge_refused_connections", refusedConnections,
        "sockets refused: token, origin or connection limit");
    counter(registry, "hookbus_bridge_refused_messages", refusedMessages, "frames refused: scope, limits, topic names");
    counter(registry, "hookbus_bridge_rate_limited", rateLimited, "inbound messages over the rate");
    counter(registry, "hookbus_bridge_slow_consumers", slowConsumers, "sockets closed as slow consumers");
    counter(registry, "hookbus_bridge_abusive_closed", abusiveClosed, "sockets closed for violations");
  }

  private static void counter(MeterRegistry registry, String name, LongAdder value, String description) {
    FunctionCounter.builder(name, value, LongAdder::doubleValue).description(description).register(registry);
  }
}
