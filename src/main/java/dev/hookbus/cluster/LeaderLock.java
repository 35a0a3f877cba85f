package dev.hookbus.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.lock.FencedLock;
import com.hazelcast.cp.lock.exception.LockOwnershipLostException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The CP subsystem's {@link FencedLock} {@value #NAME} (Raft over the three CP members). A FencedLock belongs to a
 * thread of a CP session, so every call goes through one thread of its own, never an event loop (the calls block).
 * While held, the lock is re-checked every {@link #CHECK_MS}; {@link #confirmedAt()} is the last time it was
 * still ours, which the leader compares with its lease.
 */
final class LeaderLock {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderLock.class);
  static final String NAME = "hookbus.leader";
  static final long CHECK_MS = 250;

  private final HazelcastInstance hazelcast;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "hookbus-leader-lock");
    t.setDaemon(true);
    return t;
  });
  private volatile long confirmedAt;
  private volatile boolean checking;
  private volatile boolean lost;
  private String unconfirmed;

  LeaderLock(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  private FencedLock lock() {
    return hazelcast.getCPSubsystem().getLock(NAME);
  }

  /** Waits for the lock; completes on {@code context} with its fence (a number no earlier holder had). */
  Future<Long> acquire(Context context) {
    Promise<Long> acquired = Promise.promise();
    thread.execute(() -> {
      try {
        long fence = lock().lockAndGetFence();
        confirmedAt = System.currentTimeMillis();
        lost = false;
        context.runOnContext(v -> acquired.complete(fence));
      } catch (RuntimeException e) {
        context.runOnContext(v -> acquired.fail(e));
      }
    });
    return acquired.future();
  }

  /** Starts re-checking that the lock is still ours. */
  void watch() {
    checking = true;
    thread.execute(this::check);
  }

  private void check() {
    if (!checking) {
      return;
    }
    long asked = System.currentTimeMillis();
    try {
      if (lock().isLockedByCurrentThread()) {
        confirmedAt = System.currentTimeMillis();
        unconfirmed = null;
      } else {
        lost = true;
        note("the CP subsystem says the leader lock is not ours");
      }
    } catch (LockOwnershipLostException e) {
      lost = true;
      note("the leader lock's CP session was closed: " + e.getMessage());
    } catch (RuntimeException e) {
      note("the leader lock could not be confirmed (" + (System.currentTimeMillis() - asked) + " ms): " + e);
    }
    try {
      thread.schedule(this::check, CHECK_MS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      checking = false;
    }
  }

  long confirmedAt() {
    return confirmedAt;
  }

  /** True once the CP subsystem said the lock is no longer ours (not merely unreachable). */
  boolean lost() {
    return lost;
  }

  private void note(String why) {
    if (!why.equals(unconfirmed)) {
      unconfirmed = why;
      LOG.info("{}", why);
    }
  }

  /** Stops checking and gives the lock back if it is still ours. */
  void release() {
    checking = false;
    thread.execute(() -> {
      try {
        if (lock().isLockedByCurrentThread()) {
          lock().unlock();
        }
      } catch (RuntimeException e) {
        LOG.debug("releasing the leader lock: {}", e.toString());
      }
    });
  }

  void close() {
    checking = false;
    thread.shutdownNow();
  }
}
