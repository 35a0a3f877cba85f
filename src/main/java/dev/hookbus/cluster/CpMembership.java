package dev.hookbus.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.CPSubsystemManagementService;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Keeps the CP subsystem at its three members. Without CP persistence a restarted node comes back as a new member
 * that is not a CP member; once Hazelcast has dropped the old one ({@code missingCPMemberAutoRemovalSeconds}), the
 * new one is promoted here, so the cluster can lose a node again later. Checks every few seconds on a worker.
 */
final class CpMembership {
  private static final Logger LOG = LoggerFactory.getLogger(CpMembership.class);
  private static final long CHECK_MS = 2_000;

  private final HazelcastInstance hazelcast;
  private final int members;

  CpMembership(HazelcastInstance hazelcast, int members) {
    this.hazelcast = hazelcast;
    this.members = members;
  }

  void watch(Vertx vertx) {
    vertx.setPeriodic(CHECK_MS, id -> vertx.executeBlocking(() -> {
      check();
      return null;
    }, true));
  }

  private void check() {
    try {
      CPSubsystemManagementService cp = hazelcast.getCPSubsystem().getCPSubsystemManagementService();
      if (!cp.isDiscoveryCompleted() || cp.getLocalCPMember() != null) {
        return;
      }
      int now = cp.getCPMembers().toCompletableFuture().get(2, TimeUnit.SECONDS).size();
      if (now < members) {
        LOG.info("the CP subsystem has {} of {} members: promoting this node", now, members);
        cp.promoteToCPMember().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.debug("CP membership check: {}", e.toString());
    }
  }
}
