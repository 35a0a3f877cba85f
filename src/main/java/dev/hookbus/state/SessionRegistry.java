package dev.hookbus.state;

import dev.hookbus.model.ApprovalView;
import dev.hookbus.model.Envelope;
import dev.hookbus.model.Event;
import dev.hookbus.model.SessionView;
import dev.hookbus.model.Snapshot;
import dev.hookbus.model.Team;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static dev.hookbus.model.EventTypes.*;

/**
 * The live state of every session: seating (teams, tables, the queue for a table), opening and closing, seqs, and
 * the snapshot; what each event type does to its session is in {@link SessionRules}. No Vert.x, no threads, no
 * clock of its own. Each accepted event gets the next seq; events hookbus derives from it ({@code session:start} for a session
 * first seen mid-way, {@code session:table} when a queued session gets a table) get theirs, in the order
 * subscribers must see them.
 */
public final class SessionRegistry {
  private final List<Team> teams;
  private final long idleTimeoutMs;
  private final String[] tableOwners;
  private final Map<String, Session> sessions = new LinkedHashMap<>();
  private final LinkedHashSet<String> queue = new LinkedHashSet<>();
  private final Agents agents = new Agents(sessions);
  private final Approvals approvals = new Approvals();
  private long seq;

  public SessionRegistry(int tables, List<Team> teams, long idleTimeoutMs) {
    this.teams = List.copyOf(teams);
    this.idleTimeoutMs = idleTimeoutMs;
    this.tableOwners = new String[tables];
  }

  /** Applies one event; returns its seq and the envelopes to publish, in seq order. */
  public Applied apply(Event event) {
    List<Envelope> out = new ArrayList<>(2);
    if (event.type().startsWith(APPROVAL_PREFIX)) {
      ApprovalView ended = approvals.ended(event);
      Session owner = ended == null ? null : sessions.get(ended.sessionId());
      if (owner != null && ended.decision() != null) {
        SessionRules.approvalDecided(owner, agents.of(owner, event), "allow".equals(ended.decision().get("behavior")));
      }
      out.add(Envelope.of(++seq, event, event.payload()));
      return new Applied(seq, out);
    }
    Session session = event.sessionId() == null ? null : sessions.get(event.sessionId());
    boolean lateStart = session != null && isStartup(event);
    if (session == null && event.sessionId() != null && !event.type().equals(SESSION_END)) {
      session = open(event.sessionId(), event.receivedAt());
      if (!event.type().equals(SESSION_START)) {
        out.add(derived(SESSION_START, event, startPayload(session, Map.of("autoOpened", true))));
      }
    }
    if (session == null) {
      out.add(Envelope.of(++seq, event, event.payload()));
      return new Applied(seq, out);
    }
    session.lastEventAt = Math.max(session.lastEventAt, event.receivedAt());
    session.events++;
    SessionRules.noteCommonFields(session, event.payload());
    Map<String, Object> payload = event.type().equals(SESSION_START)
        ? startPayload(session, lateStart ? withLate(event.payload()) : event.payload()) : event.payload();
    out.add(Envelope.of(++seq, event, payload));
    long eventSeq = seq;
    if (event.type().equals(SESSION_END)) {
      close(session, event, out);
    } else if (!lateStart) {
      SessionRules.apply(session, agents, event);
      approvalRules(event, out);
    }
    return new Applied(eventSeq, out);
  }

  /** What an event does to the session's approvals: a held request opens one, moving on supersedes them. */
  private void approvalRules(Event event, List<Envelope> out) {
    switch (event.type()) {
      case PERMISSION_REQUEST -> approvals.requested(event, () -> ++seq, out);
      case TOOL_PRE, TOOL_POST, TOOL_FAILURE, PERMISSION_DENIED, POST_TOOL_BATCH ->
          approvals.supersede(event, true, () -> ++seq, out);
      case PROMPT_SUBMIT, TURN_STOP -> approvals.supersede(event, false, () -> ++seq, out);
      default -> {
      }
    }
  }

  /** Closes every session silent for longer than the idle timeout; returns their {@code session:end} envelopes. */
  public List<Envelope> closeIdle(long now) {
    List<Envelope> out = new ArrayList<>();
    for (Session session : List.copyOf(sessions.values())) {
      if (now - session.lastEventAt >= idleTimeoutMs) {
        Event end = new Event(SESSION_END, now, now, session.sessionId, null,
            Map.of("sessionId", session.sessionId, "reason", "idle"));
        out.add(Envelope.of(++seq, end, end.payload()));
        close(session, end, out);
      }
    }
    return out;
  }

  public long seq() {
    return seq;
  }

  /**
   * Sets the seq the next envelope follows. Only for replaying a journal: each journaled transition is re-applied
   * from the seq it had, so seqs come back exactly even where a derived event differs (a changed config).
   */
  public void resumeAt(long lastSeq) {
    this.seq = lastSeq;
  }

  public int sessionCount() {
    return sessions.size();
  }

  public int agentCount() {
    return agents.size();
  }

  /** The open sessions in the order they opened; for {@link RegistryCheckpoint}. */
  Collection<Session> sessions() {
    return sessions.values();
  }

  /** The sessions waiting for a table, first come first; for {@link RegistryCheckpoint}. */
  List<String> queued() {
    return List.copyOf(queue);
  }

  /** The pending and recently ended approvals; the actor's {@link ApprovalDesk} and the checkpoint read them. */
  Approvals approvals() {
    return approvals;
  }

  int tables() {
    return tableOwners.length;
  }

  /**
   * Puts a session back as a checkpoint saw it (its table or its place in the queue, its agents); sessions come in
   * the order they opened, queued ones in queue order. Only for loading a checkpoint into a new registry.
   */
  void reseat(Session session, boolean queued) {
    sessions.put(session.sessionId, session);
    if (queued) {
      queue.add(session.sessionId);
    } else if (session.tableIndex != null) {
      tableOwners[session.tableIndex] = session.sessionId;
    }
    agents.adopt(session);
  }

  public Snapshot snapshot() {
    List<SessionView> views = new ArrayList<>(sessions.size());
    for (Session s : sessions.values()) {
      views.add(s.view());
    }
    return new Snapshot(seq, tableOwners.length, teams, views, List.copyOf(queue), approvals.pending());
  }

  private Session open(String sessionId, long now) {
    Session session = new Session(sessionId, teamFor(sessionId).key(), now);
    sessions.put(sessionId, session);
    session.tableIndex = freeTable();
    if (session.tableIndex == null) {
      queue.add(sessionId);
    } else {
      tableOwners[session.tableIndex] = sessionId;
    }
    return session;
  }

  private void close(Session session, Event cause, List<Envelope> out) {
    approvals.supersede(cause, false, () -> ++seq, out);
    sessions.remove(session.sessionId);
    queue.remove(session.sessionId);
    agents.forget(session);
    if (session.tableIndex == null) {
      return;
    }
    tableOwners[session.tableIndex] = null;
    if (!queue.isEmpty()) {
      String nextId = queue.iterator().next();
      queue.remove(nextId);
      Session next = sessions.get(nextId);
      next.tableIndex = session.tableIndex;
      tableOwners[next.tableIndex] = nextId;
      Event handover = new Event(SESSION_TABLE, cause.receivedAt(), cause.receivedAt(), nextId, null, Map.of());
      out.add(Envelope.of(++seq, handover, Map.of("sessionId", nextId, "tableIndex", next.tableIndex,
          "teamKey", next.teamKey)));
    }
  }

  private Integer freeTable() {
    for (int i = 0; i < tableOwners.length; i++) {
      if (tableOwners[i] == null) {
        return i;
      }
    }
    return null;
  }

  /** Stable across runs and machines: String.hashCode is fixed by the language spec. */
  Team teamFor(String sessionId) {
    return teams.get(Math.floorMod(sessionId.hashCode(), teams.size()));
  }

  private Envelope derived(String type, Event cause, Map<String, Object> payload) {
    Event event = new Event(type, cause.receivedAt(), cause.receivedAt(), cause.sessionId(), null, payload);
    return Envelope.of(++seq, event, payload);
  }

  /**
   * A {@code startup} SessionStart for a session that is already open is the late one: Claude Code runs it as an
   * async command hook, which can land after the session's first events (seen with 2.1.332 in {@code -p} mode).
   * It adds its fields; it does not start the session again (status, waiting and the running tool stay).
   */
  private static boolean isStartup(Event event) {
    return event.type().equals(SESSION_START) && "startup".equals(event.payload().get("source"));
  }

  private static Map<String, Object> withLate(Map<String, Object> payload) {
    Map<String, Object> late = new LinkedHashMap<>(payload);
    late.put("late", true);
    return late;
  }

  private static Map<String, Object> startPayload(Session session, Map<String, Object> extra) {
    Map<String, Object> payload = new LinkedHashMap<>(extra);
    payload.put("sessionId", session.sessionId);
    payload.put("teamKey", session.teamKey);
    payload.put("tableIndex", session.tableIndex);
    payload.put("contextPercent", session.contextPercent);
    return payload;
  }



}
