package dev.hookbus.state;

import dev.hookbus.config.SessionsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Decides whether the actor takes new events: not while the log holds more than {@code sessions.maxUnkeptBytes} of
 * records it has not kept yet (the journal's queue, or followers not answering), nor while the slowest bridge is
 * more than {@code sessions.maxFanoutBacklog} envelopes behind what was published. Logs each change once. A bridge
 * silent for {@link #SILENT_MS} (undeployed, or its node gone) no longer counts. Runs on the actor's loop only.
 */
final class Backpressure {
  private static final Logger LOG = LoggerFactory.getLogger(Backpressure.class);
  static final long SILENT_MS = 5_000;

  private record Progress(long seq, long at) {
  }

  private final long maxUnkeptBytes;
  private final int maxFanoutBacklog;
  private final Map<String, Progress> bridges = new HashMap<>();
  private String overloaded;
  private long refused;

  Backpressure(SessionsConfig config) {
    this.maxUnkeptBytes = config.maxUnkeptBytes();
    this.maxFanoutBacklog = config.maxFanoutBacklog();
  }

  void bridgeAt(String bridge, long seq, long now) {
    bridges.put(bridge, new Progress(seq, now));
  }

  /** The bridges that reported lately (call after {@link #fanoutBacklog}, which forgets the silent ones). */
  int bridges() {
    return bridges.size();
  }

  /** Envelopes published and not yet taken by the slowest bridge that reported lately. */
  long fanoutBacklog(long publishedSeq, long now) {
    bridges.values().removeIf(p -> now - p.at() > SILENT_MS);
    long slowest = publishedSeq;
    for (Progress progress : bridges.values()) {
      slowest = Math.min(slowest, progress.seq());
    }
    return Math.max(0, publishedSeq - slowest);
  }

  /** Why new events are refused now, or null when they are taken. */
  String refusal(long unkeptBytes, long publishedSeq, long now) {
    String reason = null;
    if (unkeptBytes > maxUnkeptBytes) {
      reason = "the journal is behind: " + unkeptBytes + " bytes not yet kept (sessions.maxUnkeptBytes "
          + maxUnkeptBytes + ")";
    } else {
      long backlog = fanoutBacklog(publishedSeq, now);
      if (backlog > maxFanoutBacklog) {
        reason = "the fan-out to browsers is " + backlog + " envelopes behind (sessions.maxFanoutBacklog "
            + maxFanoutBacklog + ")";
      }
    }
    if (reason != null) {
      refused++;
      if (overloaded == null) {
        LOG.warn("overloaded, new events get 503 OVERLOADED until it drains: {}", reason);
      }
    } else if (overloaded != null) {
      LOG.info("no longer overloaded; {} events were refused meanwhile", refused);
      refused = 0;
    }
    overloaded = reason;
    return reason;
  }
}
