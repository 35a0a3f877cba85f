package dev.hookbus.state;

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
  private long seq;

  public SessionRegistry(int tables, List<Team> teams, long idleTimeoutMs) {
    this.teams = List.copyOf(teams);
    this.idleTimeoutMs = idleTimeoutMs;
    this.tableOwners = new String[tables];
  }

  /** Applies one event; returns its seq and the envelopes to publish, in seq order. */
  public Applied apply(Event event) {
    List<Envelope> out = new ArrayList<>(2);
    Session session = event.sessionId() == null ? null : sessions.get(event.sessionId());
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
        ? startPayload(session, event.payload()) : event.payload();
    out.add(Envelope.of(++seq, event, payload));
    long eventSeq = seq;
    if (event.type().equals(SESSION_END)) {
      close(session, event, out);
    } else {
      SessionRules.apply(session, agents, event);
    }
    return new Applied(eventSeq, out);
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
    return new Snapshot(seq, tableOwners.length, teams, views, List.copyOf(queue));
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
