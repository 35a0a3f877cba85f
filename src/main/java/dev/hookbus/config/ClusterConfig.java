package dev.hookbus.config;

import java.util.List;

/**
 * Clustering on the Vert.x clustered event bus with the Hazelcast cluster manager ({@code -cluster} or
 * {@code cluster.enabled}). Hazelcast joins over TCP-IP only (no multicast), bound to {@code host}.
 *
 * @param enabled                join a cluster at start
 * @param host                   this node's address for Hazelcast and the event bus (the interface to bind)
 * @param port                   event-bus TCP port, 0 = random
 * @param hazelcastPort          first Hazelcast port to try
 * @param hazelcastPortCount     how many ports from {@code hazelcastPort} on this node may take (auto-increment)
 * @param members                where to look for other members: {@code host} or {@code host:port}
 * @param clusterName            nodes only join a cluster with the same name
 * @param minReplicas            followers that must hold an event on disk before the hook gets its 2xx, besides
 *                               the leader; never fewer than 1 (with the leader, a majority of the three)
 * @param heartbeatSeconds       Hazelcast heartbeat interval
 * @param maxNoHeartbeatSeconds  a member silent this long is removed (a killed process is usually seen sooner,
 *                               when its connections drop)
 * @param maxReplicaBytes        record bytes of the replicated log's newest records a node keeps in memory to feed
 *                               followers; older ones are read from its journal
 * @param leaseSeconds           the CP session time-to-live: a leader whose session has not been confirmed for
 *                               this long has lost the leader lock (and stops acknowledging); a killed or frozen
 *                               leader is replaced about this long after it stopped
 */
public record ClusterConfig(boolean enabled, String host, int port, int hazelcastPort, int hazelcastPortCount,
                            List<String> members, String clusterName, int minReplicas, int heartbeatSeconds,
                            int maxNoHeartbeatSeconds, long maxReplicaBytes, int leaseSeconds) {

  static ClusterConfig from(Section s) {
    return new ClusterConfig(
        s.bool("enabled", false),
        s.string("host", "127.0.0.1"),
        s.integer("port", 0, 0, 65535),
        s.integer("hazelcastPort", 5701, 1, 65535),
        s.integer("hazelcastPortCount", 20, 1, 1000),
        s.strings("members", List.of("127.0.0.1")),
        s.string("clusterName", "hookbus"),
        s.integer("minReplicas", 1, 0, 16),
        s.integer("heartbeatSeconds", 1, 1, 60),
        s.integer("maxNoHeartbeatSeconds", 5, 2, 600),
        s.longValue("maxReplicaBytes", 16L * 1024 * 1024, 1024, 1L << 40),
        s.integer("leaseSeconds", 3, 2, 60));
  }

  public ClusterConfig withEnabled(boolean on) {
    return new ClusterConfig(on, host, port, hazelcastPort, hazelcastPortCount, members, clusterName, minReplicas,
        heartbeatSeconds, maxNoHeartbeatSeconds, maxReplicaBytes, leaseSeconds);
  }
}
