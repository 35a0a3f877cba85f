package dev.hookbus.state;

import dev.hookbus.model.UsageSum;
import dev.hookbus.model.ApprovalView;
import dev.hookbus.model.Envelope;
import dev.hookbus.model.Event;
import dev.hookbus.model.SessionView;
import dev.hookbus.model.Snapshot;
import dev.hookbus.model.Team;
import dev.hookbus.model.UsageView;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
  private final EndedUsage ended = new EndedUsage();
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
      if (owner != null && ended.decision() != null && ended.elicitation() != null) {
        SessionRules.elicitationAnswered(owner);
      } else if (owner != null && ended.decision() != null) {
        SessionRules.approvalDecided(owner, agents.of(owner, event), "allow".equals(ended.decision().get("behavior")));
      }
      out.add(Envelope.of(++seq, event, event.payload()));
      return new Applied(seq, out);
    }
    Session session = event.sessionId() == null ? null : sessions.get(event.sessionId());
    // A SessionStart for an open session (the async hook landing after the first prompt, a resume) adds its
    // fields; it does not start the session again.
    if (session != null && event.type().equals(SESSION_START)) {
      event = new Event(SESSION_INFO, event.timestamp(), event.receivedAt(), event.sessionId(), event.agentId(),
          event.payload());
    }
    if (session == null && ended.takes(event)) {
      out.add(Envelope.of(++seq, event, ended.apply(event)));
      return new Applied(seq, out);
    }
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
    String modelBefore = session.model;
    SessionRules.noteCommonFields(session, event.payload());
    if (modelBefore != null && event.type().startsWith("usage:")) {
      session.model = modelBefore; // Claude Code's background calls (titles, summaries) use another model
    }
    Map<String, Object> payload = event.type().equals(SESSION_START) || event.type().equals(SESSION_INFO)
        ? startPayload(session, event.payload())
        : event.type().equals(USAGE_METRICS) ? UsageRules.metrics(session.usage(), event.payload()) : event.payload();
    out.add(Envelope.of(++seq, event, payload));
    long eventSeq = seq;
    if (event.type().equals(SESSION_END)) {
      close(session, event, out);
    } else {
      SessionRules.apply(session, agents, event);
      approvalRules(event, out);
    }
    return new Applied(eventSeq, out);
  }

  /** What an event does to the session's approvals: a held request opens one, moving on supersedes them. */
  private void approvalRules(Event event, List<Envelope> out) {
    switch (event.type()) {
      case PERMISSION_REQUEST, ELICITATION -> approvals.requested(event, () -> ++seq, out);
      case TOOL_PRE, TOOL_POST, TOOL_FAILURE, PERMISSION_DENIED, POST_TOOL_BATCH, ELICITATION_RESULT ->
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

  /**
   * One {@code usage:update} per open session whose usage changed since the last call, with its totals; the state
   * actor calls it once a second, so a session gets at most one a second however many usage events arrive.
   */
  public List<Envelope> usageUpdates(long now) {
    List<Envelope> out = new ArrayList<>();
    for (Session session : sessions.values()) {
      if (session.usage == null || !session.usage.changed) {
        continue;
      }
      session.usage.changed = false;
      SessionView view = session.view();
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("sessionId", session.sessionId);
      payload.put("costUsd", view.costUsd());
      payload.put("usage", JsonObject.mapFrom(view.usage()).getMap());
      Event update = new Event(USAGE_UPDATE, now, now, session.sessionId, null, payload);
      out.add(Envelope.of(++seq, update, payload));
    }
    return out;
  }

  /** Cost and tokens by model over every session this registry saw, open or ended; for the Prometheus counters. */
  public Map<String, UsageView.ModelUsage> usageByModel() {
    Map<String, UsageSum> totals = new TreeMap<>();
    ended.addTo(totals);
    for (Session session : sessions.values()) {
      if (session.usage != null) {
        EndedUsage.add(totals, session.usage);
      }
    }
    Map<String, UsageView.ModelUsage> out = new LinkedHashMap<>();
    totals.forEach((model, t) -> out.put(model, t.view()));
    return out;
  }

  public long seq() {
    return seq;
  }

  /** For {@link RegistryCheckpoint}. */
  EndedUsage endedUsage() {
    return ended;
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

  /** The view of one open session, as the snapshot shows it; null when it is not open. */
  SessionView view(String sessionId) {
    Session session = sessions.get(sessionId);
    return session == null ? null : session.view();
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
    ended.keep(session);
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

  /** The team a session opening now gets: see {@link TeamPicker}. */
  Team teamFor(String sessionId) {
    return TeamPicker.pick(teams, sessions.values(), sessionId);
  }

  private Envelope derived(String type, Event cause, Map<String, Object> payload) {
    Event event = new Event(type, cause.receivedAt(), cause.receivedAt(), cause.sessionId(), null, payload);
    return Envelope.of(++seq, event, payload);
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
