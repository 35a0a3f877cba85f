package dev.hookbus.cluster;

import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;

import java.util.List;

/**
 * What this node knows about the cluster, for {@code /health} and {@code /stats}: its own id, the members, the
 * leader of the highest term it heard announce itself (forgotten as soon as that node leaves the membership), and
 * whether it leads itself.
 */
public final class ClusterView {
  private final ClusterManager manager;
  private volatile String leader;
  private volatile long term;
  private volatile boolean leading;
  private volatile java.util.function.Supplier<JsonObject> log = JsonObject::new;

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

  /** Whether this node's state actor is up under the current term (set by the election). */
  public boolean leading() {
    return leading;
  }

  /** This node's copy of the log, for {@code /health}: {@code lastSeq, lastTerm, cpMember}. */
  void log(java.util.function.Supplier<JsonObject> describe) {
    log = describe;
  }

  void leading(boolean now) {
    leading = now;
  }

  public JsonObject describe() {
    String current = leading ? nodeId() : leader();
    return new JsonObject()
        .put("nodeId", nodeId())
        .put("leader", current)
        .put("isLeader", leading)
        .put("term", term)
        .put("members", members().size())
        .put("log", log.get());
  }
}
