package dev.hookbus.cluster;

import dev.hookbus.config.AppConfig;
import dev.hookbus.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/** Config for a loopback test cluster of up to three nodes, on ports nobody else uses, and ways to wait on it. */
final class ClusterFixture {
  static final int NODES = 3;
  private final String name = "hookbus-test-" + UUID.randomUUID();
  private final int hazelcastBase = freeRange(NODES);

  /** Node {@code index}'s config, JSON as in config.json; ingest and bridge on the given ports (0 = free). */
  JsonObject json(int index, int ingestPort, int bridgePort) {
    JsonArray members = new JsonArray();
    for (int i = 0; i < NODES; i++) {
      members.add("127.0.0.1:" + (hazelcastBase + i));
    }
    return new JsonObject()
        .put("ingest", new JsonObject().put("port", ingestPort).put("instances", 1))
        .put("bridge", new JsonObject().put("port", bridgePort))
        .put("sessions", new JsonObject().put("historySize", 100_000))
        .put("cluster", new JsonObject()
            .put("enabled", true)
            .put("clusterName", name)
            .put("hazelcastPort", hazelcastBase + index)
            .put("hazelcastPortCount", 1)
            .put("members", members)
            .put("heartbeatSeconds", 1)
            .put("maxNoHeartbeatSeconds", 3));
  }

  ClusterNode start(int index) {
    return Await.result(ClusterNode.start(Vertx.vertx(), AppConfig.from(json(index, 0, 0))), 60);
  }

  static Future<Void> closeAll(ClusterNode... nodes) {
    Future<Void> all = Future.succeededFuture();
    for (ClusterNode node : nodes) {
      if (node != null) {
        all = all.eventually(node::close);
      }
    }
    return all;
  }

  /** Waits (bounded, polling every 20 ms) for a condition on state that settles outside any event we can see. */
  static void until(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freeRange(int count) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      boolean free = true;
      for (int p = base; p < base + count && free; p++) {
        try (ServerSocket ignored = new ServerSocket(p)) {
          free = true;
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no free port range");
  }
}
