package dev.hookbus.bus;

import java.util.regex.Pattern;

/**
 * Every event-bus address hookbus uses. Browser-facing addresses live under {@code hookbus.};
 * internal ones under {@code internal.} are never bridged.
 */
public final class Addresses {

  /**
   * Ingest → state actor, request. Body: a {@code model.EventBatch} (the parsed events themselves on a node's bus, JSON
   * across a cluster); reply {@code {"seqs":[…]}} once they are kept, or a {@link FailureCode}.
   */
  public static final String STATE_APPLY = "internal.state.apply";

  /**
   * Bridge (its metrics ticker and {@code /stats}), ingest ({@code /metrics}) and {@code /health/ready} on both ports
   * → state actor, request. Empty body; reply {@code {activeSessions, activeAgents, eventsPerMinute, seq,
   * historySize, historyBytes, unkeptBytes, fanoutBacklog, fanoutBridges, pendingSyncs, epoch, store, storeRefusals}}:
   * {@code store} is {@code "available"} or {@code "unavailable"} (the last write to the log failed; ready says no),
   * {@code storeRefusals} the events refused since start because the log could not keep them.
   */
  public static final String STATE_STATS = "internal.state.stats";

  /**
   * Config watcher → every verticle instance on this node, local publish. Body: the whole new config JSON, already
   * validated; each verticle takes the settings it can change while running.
   */
  public static final String CONFIG_RELOAD = "internal.config.reload";

  /**
   * Ingest ({@code GET /api/events/<seq>}) → state actor, request. Body {@code {"seq": n}}; reply: the full envelope
   * (browsers get copies with long strings cut), from memory or the journal, or {@link FailureCode#NOT_FOUND}.
   */
  public static final String STATE_EVENT = "internal.state.event";

  /**
   * Each bridge instance → state actor, send (no reply). Body {@code {"bridge": id, "seq": n}}: the last envelope
   * that bridge took off {@link #EVENTS}, every {@code 32} envelopes and every 100 ms. The actor refuses new events
   * (OVERLOADED) while the slowest bridge is more than {@code sessions.maxFanoutBacklog} envelopes behind.
   */
  public static final String FANOUT_PROGRESS = "internal.fanout.progress";

  /**
   * Cluster: each node's {@code ClusterBusRelay} → every node's, publish. Body: what a bridge of that node sent on
   * {@link #FANOUT_PROGRESS}; the leader's relay hands it to the state actor, so every node's bridges count.
   */
  public static final String FANOUT_PROGRESS_CLUSTER = "internal.cluster.fanout.progress";

  /** State actor → browsers, publish. Body: every event envelope, in seq order; long strings cut (see {@link #STATE_EVENT}). */
  public static final String EVENTS = "hookbus.events";

  /** State actor → browsers, publish. Body: the envelopes of one session; see {@link #session(String)}. */
  public static final String SESSIONS_PREFIX = "hookbus.sessions.";

  /** State actor → browsers, publish. Body: the envelopes of one subagent; see {@link #agent(String)}. */
  public static final String AGENTS_PREFIX = "hookbus.agents.";

  /** Bridge ticker → browsers, publish every {@code metrics.intervalMs}. Body {@code {activeSessions, activeAgents, eventsPerMinute, connectedClients}}. */
  public static final String METRICS = "hookbus.metrics";

  /**
   * Browser → browsers, publish (rate limited and size capped per socket). Body: anything JSON the client sends;
   * hookbus relays it and keeps nothing. See {@link #topic(String)} and {@link #TOPIC_NAME}.
   */
  public static final String TOPICS_PREFIX = "hookbus.topics.";

  /** What may follow {@link #TOPICS_PREFIX}. */
  public static final Pattern TOPIC_NAME = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");

  /**
   * Browser (and ingest's {@code GET /api/sessions}) → state actor, request. Any body; reply: the state snapshot
   * {@code {seq, epoch, tables, teams, sessions, queue}}, showing only what is kept.
   */
  public static final String SYNC = "hookbus.sync";

  /**
   * Browser → state actor, request. Body {@code {since: seq}}; reply {@code {recovered:true, seq, epoch, events:[…]}}
   * (from memory, or from the journal when the gap is older) or {@code {recovered:false, seq, epoch}}.
   */
  public static final String HISTORY = "hookbus.history";

  /**
   * Cluster: leader's state actor → every node's {@code ClusterBusRelay}, publish. Body: one envelope; it re-publishes it on
   * its node-local bus ({@link #EVENTS}, {@link #session}, {@link #agent}), so browsers never register cluster-wide.
   */
  public static final String FANOUT = "internal.fanout";

  /** Cluster: leader → every node, publish every second and on election. Body {@code {nodeId, term}}. */
  public static final String LEADER = "internal.cluster.leader";

  /**
   * Cluster: leader (its {@code ClusterLog}) and candidates → one node's replica, request; see
   * {@link #replica(String)}. Bodies {@code {op:"append", term, leader, prevSeq, prevTerm, records}},
   * {@code {op:"vote", term, leader}}, {@code {op:"status"}}, {@code {op:"fetch", after}}; every reply carries the
   * node's {@code term, lastSeq, lastTerm, runs}, and {@code ok} / {@code stale} / {@code match} / {@code records}.
   */
  public static final String REPLICA_PREFIX = "internal.replica.";

  /**
   * Cluster: a node's relay → the leader's relay, request: one of the state actor's addresses, on the node that
   * leads ({@link #onNode}). Registered by every node at start, so a take-over needs no new cluster registration
   * (which could wait on a frozen member that still owns part of the subscription map). Bodies as the address.
   */
  public static final String ON_NODE_SEPARATOR = "@";

  /**
   * Ingest → state actor, request. Body {@code {after, session, type, since, until, limit}}; reply
   * {@code {events:[…], next: seq|null, epoch}}.
   */
  public static final String STATE_QUERY = "internal.state.query";

  /**
   * Ingest → state actor, request. Body {@code {by: "session"|"model"|"day", since, until}}; reply
   * {@code {by, total, rows}} from the usage rollup (see {@code GET /api/usage}).
   */
  public static final String STATE_USAGE = "internal.state.usage";

  /**
   * State actor → browsers, publish (besides {@link #EVENTS}). Body: the {@code approval:pending},
   * {@code approval:decided}, {@code approval:expired} and {@code approval:superseded} envelopes, whose payload is
   * the approval {@code {id, kind, sessionId, agentId, toolName, toolInput, suggestions, requestedAt, expiresAt,
   * status, decision, decidedBy, decidedAt}} ({@code kind} {@code elicitation} adds {@code server, message, mode,
   * url, requestedSchema, elicitationId}); long strings cut as on {@link #EVENTS}.
   */
  public static final String APPROVALS = "hookbus.approvals";

  /**
   * Browser (through the bridge, which sets {@code decidedBy} from the socket's token) and ingest
   * ({@code POST /api/approvals/<id>}) → state actor, request. Body {@code {id, behavior:"allow"|"deny", message?,
   * interrupt?, updatedInput?, updatedPermissions?, decidedBy}}, for an elicitation {@code {id,
   * action:"accept"|"decline"|"cancel", content?, decidedBy}}; reply {@code {ok:true, approval}} or the failure
   * {@code UNKNOWN}, {@code ALREADY_DECIDED}, {@code EXPIRED}, {@code FORBIDDEN} (from the bridge) or
   * {@code INVALID_REQUEST}.
   */
  public static final String APPROVALS_DECIDE = "hookbus.approvals.decide";

  /**
   * State actor → every ingest instance (cluster-wide), publish, once the transition is kept. Body: the whole
   * approval, uncut, when it is no longer pending (decided, expired, superseded); the instance that holds its hook
   * answers it.
   */
  public static final String APPROVAL_OUTCOMES = "internal.approvals.outcomes";

  /**
   * Each bridge instance → every ingest instance (cluster-wide), publish on every change and every
   * {@code 2 s}. Body {@code {node, deciders}}: how many sockets of that node's bridge may decide approvals and listen
   * on {@link #APPROVALS} now; also the notifier, for each webhook that can decide (it counts as one).
   * Ingest holds a PermissionRequest only while some node has one.
   */
  public static final String APPROVAL_DECIDERS = "internal.approvals.deciders";

  /**
   * Cluster: each node's {@code ClusterBusRelay} → every other node's, publish. Body: what that node's bridge published
   * on {@link #APPROVAL_DECIDERS}, re-published there on each node's local bus.
   */
  public static final String APPROVAL_DECIDERS_CLUSTER = "internal.cluster.approvals.deciders";

  private Addresses() {
  }

  public static String session(String sessionId) {
    return SESSIONS_PREFIX + sessionId;
  }

  public static String topic(String topic) {
    return TOPICS_PREFIX + topic;
  }

  public static String agent(String agentId) {
    return AGENTS_PREFIX + agentId;
  }

  public static String replica(String nodeId) {
    return REPLICA_PREFIX + nodeId;
  }

  public static String onNode(String address, String nodeId) {
    return address + ON_NODE_SEPARATOR + nodeId;
  }
}
