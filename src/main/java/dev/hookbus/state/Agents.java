package dev.hookbus.state;

import dev.hookbus.model.Event;

import java.util.HashMap;
import java.util.Map;

import static dev.hookbus.model.EventTypes.SUBAGENT_START;
import static dev.hookbus.model.EventTypes.SUBAGENT_STOP;
import static dev.hookbus.state.SessionRules.preview;
import static dev.hookbus.state.SessionRules.text;

/** The running subagents by id, each listed in the session that owns it; part of {@link SessionRegistry}. */
final class Agents {
  private final Map<String, Agent> byId = new HashMap<>();
  private final Map<String, Session> sessions;

  Agents(Map<String, Session> sessions) {
    this.sessions = sessions;
  }

  int size() {
    return byId.size();
  }

  /**
   * The subagent an event comes from. A tool event may name a subagent whose start hookbus never saw (hooks
   * installed mid-run): it is tracked from then on under the id Claude Code gave, never an invented one.
   */
  Agent of(Session session, Event event) {
    if (event.agentId() == null || event.type().equals(SUBAGENT_STOP)) {
      return event.agentId() == null ? null : byId.get(event.agentId());
    }
    Agent agent = byId.get(event.agentId());
    if (agent == null && !event.type().equals(SUBAGENT_START)) {
      agent = add(session, event);
      agent.agentType = text(event.payload(), "agentType");
    }
    return agent;
  }

  void start(Session session, Event event) {
    Map<String, Object> p = event.payload();
    Agent agent = byId.get(event.agentId());
    if (agent == null || !agent.sessionId.equals(session.sessionId)) {
      if (agent != null) {
        stop(agent.agentId);
      }
      agent = add(session, event);
    }
    String type = text(p, "agentType");
    if (type != null) {
      agent.agentType = type;
    }
    String description = text(p, "description");
    if (description != null) {
      agent.description = preview(description);
    }
  }

  void stop(String agentId) {
    Agent agent = byId.remove(agentId);
    if (agent != null) {
      Session owner = sessions.get(agent.sessionId);
      if (owner != null) {
        owner.agents.remove(agentId);
      }
    }
  }

  /** Tracks the agents of a session put back from a checkpoint. */
  void adopt(Session session) {
    session.agents.values().forEach(agent -> byId.put(agent.agentId, agent));
  }

  /** Drops the agents of a session that closed. */
  void forget(Session session) {
    session.agents.keySet().forEach(byId::remove);
  }

  private Agent add(Session session, Event event) {
    Agent agent = new Agent(event.agentId(), session.sessionId, event.timestamp());
    byId.put(agent.agentId, agent);
    session.agents.put(agent.agentId, agent);
    return agent;
  }
}
