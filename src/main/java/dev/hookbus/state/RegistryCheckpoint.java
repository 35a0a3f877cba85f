package dev.hookbus.state;

import dev.hookbus.config.SessionsConfig;
import dev.hookbus.model.Status;
import dev.hookbus.model.Team;
import dev.hookbus.model.WaitReason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The whole registry as JSON, for the journal's checkpoint: every session with every field, its agents, the tables,
 * the queue and the seq, so that loading it gives a registry that behaves exactly like the one saved. It records the
 * seating config (tables, teams, idle timeout) it was made with; under another one it is not used, and the start
 * replays the journal instead.
 */
final class RegistryCheckpoint {
  static final int VERSION = 1;

  private RegistryCheckpoint() {
  }

  static JsonObject save(SessionRegistry registry, SessionsConfig config, String epoch) {
    JsonArray sessions = new JsonArray();
    for (Session s : registry.sessions()) {
      JsonArray agents = new JsonArray();
      for (Agent a : s.agents.values()) {
        agents.add(new JsonObject().put("agentId", a.agentId).put("createdAt", a.createdAt)
            .put("agentType", a.agentType).put("description", a.description).put("currentTool", a.currentTool)
            .put("toolStartedAt", a.toolStartedAt));
      }
      sessions.add(new JsonObject().put("sessionId", s.sessionId).put("teamKey", s.teamKey)
          .put("createdAt", s.createdAt).put("tableIndex", s.tableIndex).put("contextPercent", s.contextPercent)
          .put("tokensUsed", s.tokensUsed).put("contextWindow", s.contextWindow).put("costUsd", s.costUsd)
          .put("status", s.status.json()).put("waitingFor", s.waitingFor == null ? null : s.waitingFor.json())
          .put("waitingDetail", s.waitingDetail).put("currentTool", s.currentTool)
          .put("toolStartedAt", s.toolStartedAt).put("toolCalls", s.toolCalls).put("toolFailures", s.toolFailures)
          .put("prompts", s.prompts).put("events", s.events).put("cwd", s.cwd).put("model", s.model)
          .put("lastMessage", s.lastMessage).put("lastEventAt", s.lastEventAt).put("agents", agents)
          .put("usage", s.usage == null ? null : s.usage.toJson()));
    }
    return new JsonObject().put("v", VERSION).put("epoch", epoch).put("seq", registry.seq())
        .put("seating", seating(config)).put("sessions", sessions).put("queue", new JsonArray(registry.queued()))
        .put("approvals", registry.approvals().toJson())
        .put("endedUsage", registry.endedUsage().toJson());
  }

  /** The registry saved in {@code json}; null when it was saved under another epoch, version or seating. */
  static SessionRegistry load(JsonObject json, SessionsConfig config, String epoch) {
    if (json.getInteger("v", 0) != VERSION || !epoch.equals(json.getString("epoch"))
        || !seating(config).equals(json.getJsonObject("seating"))) {
      return null;
    }
    SessionRegistry registry = new SessionRegistry(config.tables(), config.teams(), config.idleTimeoutMs());
    Set<String> queued = new HashSet<>(json.getJsonArray("queue").getList());
    JsonArray sessions = json.getJsonArray("sessions");
    for (int i = 0; i < sessions.size(); i++) {
      Session session = session(sessions.getJsonObject(i));
      if (!queued.contains(session.sessionId)) {
        registry.reseat(session, false);
      }
    }
    for (Object id : json.getJsonArray("queue")) {
      for (int i = 0; i < sessions.size(); i++) {
        if (id.equals(sessions.getJsonObject(i).getString("sessionId"))) {
          registry.reseat(session(sessions.getJsonObject(i)), true);
        }
      }
    }
    registry.approvals().load(json.getJsonArray("approvals"));
    JsonObject endedUsage = json.getJsonObject("endedUsage");
    if (endedUsage != null) {
      registry.endedUsage().load(endedUsage);
    }
    registry.resumeAt(json.getLong("seq"));
    return registry;
  }

  private static Session session(JsonObject j) {
    Session s = new Session(j.getString("sessionId"), j.getString("teamKey"), j.getLong("createdAt"));
    s.tableIndex = j.getInteger("tableIndex");
    s.contextPercent = j.getDouble("contextPercent");
    s.tokensUsed = j.getLong("tokensUsed");
    s.contextWindow = j.getLong("contextWindow");
    s.costUsd = j.getDouble("costUsd");
    s.status = Status.valueOf(j.getString("status").toUpperCase(Locale.ROOT));
    String waitingFor = j.getString("waitingFor");
    s.waitingFor = waitingFor == null ? null : WaitReason.valueOf(waitingFor.toUpperCase(Locale.ROOT));
    s.waitingDetail = j.getString("waitingDetail");
    s.currentTool = j.getString("currentTool");
    s.toolStartedAt = j.getLong("toolStartedAt");
    s.toolCalls = j.getLong("toolCalls");
    s.toolFailures = j.getLong("toolFailures");
    s.prompts = j.getLong("prompts");
    s.events = j.getLong("events");
    s.cwd = j.getString("cwd");
    s.model = j.getString("model");
    s.lastMessage = j.getString("lastMessage");
    s.lastEventAt = j.getLong("lastEventAt");
    JsonObject usage = j.getJsonObject("usage");
    s.usage = usage == null ? null : Usage.fromJson(usage);
    JsonArray agents = j.getJsonArray("agents");
    for (int i = 0; i < agents.size(); i++) {
      JsonObject a = agents.getJsonObject(i);
      Agent agent = new Agent(a.getString("agentId"), s.sessionId, a.getLong("createdAt"));
      agent.agentType = a.getString("agentType");
      agent.description = a.getString("description");
      agent.currentTool = a.getString("currentTool");
      agent.toolStartedAt = a.getLong("toolStartedAt");
      s.agents.put(agent.agentId, agent);
    }
    return s;
  }

  private static JsonObject seating(SessionsConfig config) {
    List<String> teams = config.teams().stream().map(Team::key).toList();
    return new JsonObject().put("tables", config.tables()).put("teams", new JsonArray(teams))
        .put("idleTimeoutMs", config.idleTimeoutMs());
  }
}
