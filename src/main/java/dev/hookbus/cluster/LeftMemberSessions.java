package dev.hookbus.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.CPGroup;
import com.hazelcast.cp.session.CPSession;
import com.hazelcast.cp.session.CPSessionManagementService;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * When a member leaves the cluster (its connection broke, or it was silent past {@code maxNoHeartbeatSeconds}),
 * closes its CP sessions at once instead of letting them run out their time to live: a killed leader's lock goes
 * to the next node as soon as the CP group can commit the close, not a lease later. Closing the session of a member
 * that is only cut off is what its expiry would do anyway; it then sees the lock is no longer its own.
 */
final class LeftMemberSessions implements MembershipListener {
  private static final Logger LOG = LoggerFactory.getLogger(LeftMemberSessions.class);
  private static final long ANSWER_SECONDS = 10;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;

  private LeftMemberSessions(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
  }

  static void watch(Vertx vertx, HazelcastInstance hazelcast) {
    hazelcast.getCluster().addMembershipListener(new LeftMemberSessions(vertx, hazelcast));
  }

  @Override
  public void memberAdded(MembershipEvent event) {
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    Address gone = event.getMember().getAddress();
    // The calls wait for the CP group's Raft leader: never on Hazelcast's event thread.
    vertx.executeBlocking(() -> closeSessionsOf(gone), false)
        .onFailure(e -> LOG.debug("closing the CP sessions of {}: {}", gone, e.toString()));
  }

  private int closeSessionsOf(Address gone) throws Exception {
    CPSessionManagementService sessions = hazelcast.getCPSubsystem().getCPSessionManagementService();
    int closed = 0;
    for (CPSession session : sessions.getAllSessions(CPGroup.DEFAULT_GROUP_NAME).toCompletableFuture()
        .get(ANSWER_SECONDS, TimeUnit.SECONDS)) {
      if (session.endpointType() == CPSession.CPSessionOwnerType.SERVER && session.endpoint().equals(gone)
          && sessions.forceCloseSession(CPGroup.DEFAULT_GROUP_NAME, session.id()).toCompletableFuture()
          .get(ANSWER_SECONDS, TimeUnit.SECONDS)) {
        closed++;
      }
    }
    if (closed > 0) {
      LOG.info("closed {} CP session(s) of {}, which left the cluster", closed, gone);
    }
    return closed;
  }
}
