package dev.hookbus.cluster;

import dev.hookbus.bus.Addresses;
import dev.hookbus.config.AppConfig;
import dev.hookbus.support.Await;
import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/** Config for a loopback test cluster of up to three nodes, on ports nobody else uses, and a way to wait on it. */
final class ClusterFixture {
  static final int NODES = 3;
  private final String name = "hookbus-test-" + UUID.randomUUID();
  private final int hazelcastBase = freeRange(NODES);
  private final java.nio.file.Path stores = createStores();

  private static java.nio.file.Path createStores() {
    try {
      return java.nio.file.Files.createTempDirectory("hookbus-cluster-");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Node {@code index}'s journal directory (each node journals the replicated log on its own). */
  String storePath(int index) {
    return stores.resolve("node-" + index).toString();
  }

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
        .put("store", new JsonObject().put("path", storePath(index)))
        .put("cluster", new JsonObject()
            .put("enabled", true)
            .put("clusterName", name)
            .put("hazelcastPort", hazelcastBase + index)
            .put("hazelcastPortCount", 1)
            .put("members", members)
            .put("heartbeatSeconds", 1)
            .put("maxNoHeartbeatSeconds", 5)
            .put("leaseSeconds", 3));
  }

  ClusterNode start(int index) {
    return Await.result(ClusterNode.start(Vertx.vertx(), AppConfig.from(json(index, 0, 0))), 60);
  }

  /** Closes the nodes at once, as a full stop does (one after the other, the last ones would wait for CP). */
  static Future<Void> closeAll(ClusterNode... nodes) {
    java.util.List<Future<Void>> closing = new java.util.ArrayList<>();
    for (ClusterNode node : nodes) {
      if (node != null) {
        closing.add(node.close());
      }
    }
    return Future.join(closing).mapEmpty();
  }

  /**
   * Waits (at most {@code timeoutMs}) until {@code condition} holds for {@code node}'s view of the cluster. It is
   * checked at once, then again on every event that changes that view as the node sees it: a membership change and
   * a leader announcement (the leader repeats it every second, so a check that ran just before the view took an
   * event is made good by the next one).
   */
  static void when(ClusterNode node, String what, long timeoutMs, Predicate<ClusterView> condition) {
    Vertx vertx = node.clusteredVertx();
    Promise<Void> met = Promise.promise();
    Context context = vertx.getOrCreateContext();
    Runnable check = () -> context.runOnContext(v -> {
      if (condition.test(node.view())) {
        met.tryComplete();
      }
    });
    MessageConsumer<Object> announcements = vertx.eventBus().consumer(Addresses.LEADER, m -> check.run());
    Cluster cluster = node.clusterManager().getHazelcastInstance().getCluster();
    UUID membership = cluster.addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        check.run();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        check.run();
      }
    });
    announcements.completion().onComplete(registered -> check.run());
    try {
      Await.result(met.future(), (int) Math.max(1, timeoutMs / 1000));
    } catch (AssertionError timedOut) {
      throw new AssertionError("timed out waiting for " + what + "; view: " + node.view().describe(), timedOut);
    } finally {
      cluster.removeMembershipListener(membership);
      announcements.unregister();
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
