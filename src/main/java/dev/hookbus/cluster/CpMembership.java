package dev.hookbus.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.CPMember;
import com.hazelcast.cp.CPSubsystemManagementService;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps the CP subsystem at its three members. Without CP persistence a restarted node comes back as a new member
 * that is not a CP member; once Hazelcast has dropped the old one ({@code missingCPMemberAutoRemovalSeconds}), the
 * new one is promoted here, so the cluster can lose a node again later.
 *
 * <p>When two of the three CP members are gone for good at once (both paused past the membership timeout, merged
 * back and restarted as new members), no majority is left to drop them, and the CP subsystem can never elect a
 * Raft leader again. Hazelcast's way out is a CP reset on the master. It is only safe when the missing CP members
 * cannot come back: a CP member counts as gone for good when another process now runs at its address (a
 * different member id than when it was first seen there; two processes cannot listen on one address). An
 * unreachable member (a partition, a pause) keeps its member id and never counts. The master resets once the
 * majority has been gone that way for {@link #GONE_FOR_GOOD_MS} with the same members throughout, and the cluster
 * has its three members again; the
 * lock's fences start again, the terms on disk do not (see {@link LeaderElection}). Checks every few seconds on a
 * worker.
 */
final class CpMembership {
  private static final Logger LOG = LoggerFactory.getLogger(CpMembership.class);
  private static final long CHECK_MS = 2_000;
  static final long GONE_FOR_GOOD_MS = 10_000;

  private final HazelcastInstance hazelcast;
  private final int members;
  /**
   * The CP members this node has heard of, by CP member id, with the address each had and the member id running
   * there when it was first seen. Kept across answers: a CP member that is no longer reachable may still be listed.
   */
  private final Map<UUID, Seen> seen = new HashMap<>();
  private long majorityGoneSince;
  private Set<UUID> membersWhileGone = Set.of();

  private record Seen(Address address, UUID memberId) {
  }

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
      if (!cp.isDiscoveryCompleted()) {
        return;
      }
      Collection<CPMember> cpMembers = cpMembers(cp);
      if (cp.getLocalCPMember() == null) {
        if (cpMembers != null && cpMembers.size() < members) {
          LOG.info("the CP subsystem has {} of {} members: promoting this node", cpMembers.size(), members);
          cp.promoteToCPMember().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        return;
      }
      Map<Address, UUID> running = running();
      if (cpMembers != null) {
        learn(cpMembers, running);
      }
      resetIfMajorityGoneForGood(cp, running);
    } catch (Exception e) {
      LOG.debug("CP membership check: {}", e.toString());
    }
  }

  /** The CP members, or null when no answer came within two seconds. */
  private static Collection<CPMember> cpMembers(CPSubsystemManagementService cp) throws InterruptedException {
    try {
      return cp.getCPMembers().toCompletableFuture().get(2, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return null;
    }
  }

  private void learn(Collection<CPMember> cpMembers, Map<Address, UUID> running) {
    Set<UUID> listed = new HashSet<>();
    for (CPMember member : cpMembers) {
      listed.add(member.getUuid());
      seen.computeIfAbsent(member.getUuid(), id -> new Seen(member.getAddress(), running.get(member.getAddress())));
    }
    seen.keySet().retainAll(listed);
  }

  private void resetIfMajorityGoneForGood(CPSubsystemManagementService cp, Map<Address, UUID> running)
      throws Exception {
    int mayComeBack = 0;
    for (Seen member : seen.values()) {
      UUID now = running.get(member.address());
      boolean replaced = now != null && member.memberId() != null && !now.equals(member.memberId());
      if (!replaced) {
        mayComeBack++;
      }
    }
    if (seen.isEmpty() || mayComeBack > seen.size() / 2) {
      majorityGoneSince = 0;
      return;
    }
    long now = System.currentTimeMillis();
    // The members must stay the same the whole wait: a node merged back under a new id is still a member for a
    // moment before it stops (exit code 75), and a reset that counted it would form a CP subsystem around it.
    Set<UUID> memberIds = new HashSet<>(running.values());
    if (majorityGoneSince == 0 || !memberIds.equals(membersWhileGone)) {
      boolean first = majorityGoneSince == 0;
      majorityGoneSince = now;
      membersWhileGone = memberIds;
      if (first) {
        LOG.warn("the CP subsystem has lost {} of its {} members for good (other processes run at their "
            + "addresses); the master resets it in {} s if that stays so", seen.size() - mayComeBack, seen.size(),
            GONE_FOR_GOOD_MS / 1_000);
      }
      return;
    }
    Set<Member> current = hazelcast.getCluster().getMembers();
    boolean master = current.iterator().next().localMember();
    if (now - majorityGoneSince >= GONE_FOR_GOOD_MS && master && current.size() >= members) {
      LOG.warn("resetting the CP subsystem: its majority is gone for good; the {} members form a new one",
          current.size());
      cp.reset().toCompletableFuture().get(30, TimeUnit.SECONDS);
      seen.clear();
      majorityGoneSince = 0;
      LOG.info("CP subsystem reset");
    }
  }

  private Map<Address, UUID> running() {
    Map<Address, UUID> running = new HashMap<>();
    for (Member member : hazelcast.getCluster().getMembers()) {
      running.put(member.getAddress(), member.getUuid());
    }
    return running;
  }
}
