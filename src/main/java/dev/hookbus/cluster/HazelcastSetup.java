package dev.hookbus.cluster;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.InterfacesConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.config.cp.CPSubsystemConfig;
import com.hazelcast.config.cp.FencedLockConfig;
import dev.hookbus.config.ClusterConfig;

/**
 * The Hazelcast config, built from {@link ClusterConfig} instead of a cluster.xml: TCP-IP join on the configured
 * member list, bound to one interface, no multicast, no auto-detection. The three {@code __vertx.*} structures
 * carry the settings of vertx-hazelcast's own default-cluster.xml.
 */
public final class HazelcastSetup {
  /** CP (Raft) members: the leader lock needs a majority of them, so a cluster runs with at least this many nodes. */
  public static final int CP_MEMBERS = 3;
  private HazelcastSetup() {
  }

  public static Config config(ClusterConfig cluster) {
    Config config = new Config();
    config.setClusterName(cluster.clusterName());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // Without this a joining node waits 5 s before joining (STACK.md §5).
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(cluster.heartbeatSeconds()));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(cluster.maxNoHeartbeatSeconds()));
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // A CP member leaving asks the others to drop it; when they are gone too (a full stop), do not wait 10 minutes.
    config.setProperty("hazelcast.graceful.shutdown.max.wait", "5");
    // A blocked call (the leader lock's lock()) is tied to the CP member it was sent to. When that member freezes,
    // the call hangs until it wakes, even though the others elected a new Raft leader and expired its session;
    // timing the call out after one lease makes the caller ask the new Raft leader (the default is 60 s).
    config.setProperty("hazelcast.operation.call.timeout.millis", String.valueOf(cluster.leaseSeconds() * 1_000L));
    // Split-brain merge after 5 s, not 300 s: a node dropped from the membership (a long pause) comes back soon.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");

    CPSubsystemConfig cp = config.getCPSubsystemConfig();
    cp.setCPMemberCount(CP_MEMBERS).setGroupSize(CP_MEMBERS)
        .setSessionHeartbeatIntervalSeconds(1)
        .setSessionTimeToLiveSeconds(cluster.leaseSeconds())
        .setMissingCPMemberAutoRemovalSeconds(cluster.leaseSeconds());
    // Raft's defaults notice a dead CP leader after 25 s; this is about 2 s.
    cp.getRaftAlgorithmConfig().setLeaderHeartbeatPeriodInMillis(500).setMaxMissedLeaderHeartbeatCount(4)
        .setLeaderElectionTimeoutInMillis(1_000);
    cp.addLockConfig(new FencedLockConfig(LeaderLock.NAME, 1));

    // The advanced network config, with only the member endpoint: its handshake waits for the other side without
    // spinning. The plain one (UnifiedProtocolEncoder) re-runs a connection that waits for a frozen member's answer
    // in a loop on its I/O thread, which starves the connections to the live members on that thread for seconds
    // (hazelcast/hazelcast#26473): they stop hearing each other and split while one member is frozen.
    AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true);
    // A node that stops to be restarted (exit code 75) binds the same port again at once, while the old socket
    // may still be in TIME_WAIT.
    ServerSocketEndpointConfig member = new ServerSocketEndpointConfig().setReuseAddress(true)
        .setPort(cluster.hazelcastPort()).setPortAutoIncrement(cluster.hazelcastPortCount() > 1)
        .setPortCount(cluster.hazelcastPortCount());
    if (!cluster.host().equals("0.0.0.0")) {
      member.setInterfaces(new InterfacesConfig().setEnabled(true).addInterface(cluster.host()));
    }
    network.setMemberEndpointConfig(member);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());

    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return config;
  }
}
