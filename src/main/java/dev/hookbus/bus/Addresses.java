package dev.hookbus.bus;

/**
 * Every event-bus address hookbus uses. Browser-facing addresses live under {@code hookbus.};
 * internal ones under {@code internal.} are never bridged.
 */
public final class Addresses {

  /** Ingest → state actor, request. Body {@code {"events":[event…]}}; reply {@code {"seqs":[…]}} or a {@link FailureCode}. */
  public static final String STATE_APPLY = "internal.state.apply";

  /** Bridge ticker → state actor, request. Empty body; reply {@code {activeSessions, activeAgents, eventsPerMinute, seq}}. */
  public static final String STATE_STATS = "internal.state.stats";

  /** State actor → browsers, publish. Body: every event envelope, in seq order. */
  public static final String EVENTS = "hookbus.events";

  /** State actor → browsers, publish. Body: the envelopes of one session; see {@link #session(String)}. */
  public static final String SESSIONS_PREFIX = "hookbus.sessions.";

  /** State actor → browsers, publish. Body: the envelopes of one subagent; see {@link #agent(String)}. */
  public static final String AGENTS_PREFIX = "hookbus.agents.";

  /** Bridge ticker → browsers, publish every {@code metrics.intervalMs}. Body {@code {activeSessions, activeAgents, eventsPerMinute, connectedClients}}. */
  public static final String METRICS = "hookbus.metrics";

  /** Browser → state actor, request. Any body; reply: the state snapshot {@code {seq, tables, teams, sessions, queue}}. */
  public static final String SYNC = "hookbus.sync";

  /**
   * Browser → state actor, request. Body {@code {since: seq}}; reply {@code {recovered:true, seq, epoch, events:[…]}}
   * (from memory, or from the journal when the gap is older) or {@code {recovered:false, seq, epoch}}.
   */
  public static final String HISTORY = "hookbus.history";

  /** Ingest → state actor, request. Body {@code {seq}}; reply: that envelope (memory, else journal) or NOT_FOUND. */
  public static final String STATE_EVENT = "internal.state.event";

  /**
   * Ingest → state actor, request. Body {@code {after, session, type, since, until, limit}}; reply
   * {@code {events:[…], next: seq|null, epoch}}.
   */
  public static final String STATE_QUERY = "internal.state.query";

  private Addresses() {
  }

  public static String session(String sessionId) {
    return SESSIONS_PREFIX + sessionId;
  }

  public static String agent(String agentId) {
    return AGENTS_PREFIX + agentId;
  }
}
