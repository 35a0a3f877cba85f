package dev.hookbus.cluster;

import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;

import java.util.List;

/**
 * What this node knows about the cluster, for {@code /health} and {@code /stats}: its own id, the members, and the
 * leader it last heard announce itself (forgotten as soon as that node leaves the membership).
 */
public final class ClusterView {
  private final ClusterManager manager;
  private volatile String leader;
  private volatile long term;
  private volatile int followers;

  ClusterView(ClusterManager manager) {
    this.manager = manager;
  }

  public String nodeId() {
    return manager.getNodeId();
  }

  public List<String> members() {
    return manager.getNodes();
  }

  /** The leader's node id, or null while there is none (election in progress). */
  public String leader() {
    String current = leader;
    return current != null && members().contains(current) ? current : null;
  }

  void leaderAnnounced(String nodeId, long newTerm) {
    if (newTerm >= term) {
      leader = nodeId;
      term = newTerm;
    }
  }

  void followersInSync(int count) {
    followers = count;
  }

  public JsonObject describe() {
    String current = leader();
    JsonObject json = new JsonObject()
        .put("nodeId", nodeId())
        .put("leader", current)
        .put("isLeader", nodeId().equals(current))
        .put("term", term)
        .put("members", members().size());
    if (nodeId().equals(current)) {
      json.put("followersInSync", followers);
    }
    return json;
  }
}
