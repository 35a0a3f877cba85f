package dev.hookbus.bridge;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is connected to the bridge and what they subscribe to. One instance is shared by every bridge verticle
 * instance (they run on different event loops), hence the concurrent maps.
 */
public final class BridgeStats {
  private final Map<Object, Map<String, Integer>> subscriptionsBySocket = new ConcurrentHashMap<>();
  private final long startedAt = System.currentTimeMillis();

  void connected(Object socket) {
    subscriptionsBySocket.put(socket, new ConcurrentHashMap<>());
  }

  void disconnected(Object socket) {
    subscriptionsBySocket.remove(socket);
  }

  void registered(Object socket, String address) {
    Map<String, Integer> subscriptions = subscriptionsBySocket.get(socket);
    if (subscriptions != null) {
      subscriptions.merge(address, 1, Integer::sum);
    }
  }

  void unregistered(Object socket, String address) {
    Map<String, Integer> subscriptions = subscriptionsBySocket.get(socket);
    if (subscriptions != null) {
      subscriptions.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
    }
  }

  public int connectedClients() {
    return subscriptionsBySocket.size();
  }

  /** Subscribers per address, sorted by address. */
  public Map<String, Integer> channelStats() {
    Map<String, Integer> perAddress = new TreeMap<>();
    subscriptionsBySocket.values().forEach(subscriptions -> subscriptions.forEach(
        (address, count) -> perAddress.merge(address, count, Integer::sum)));
    return perAddress;
  }

  public long startedAt() {
    return startedAt;
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
}
