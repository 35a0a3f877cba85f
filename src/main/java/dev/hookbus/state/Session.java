package dev.hookbus.state;

import dev.hookbus.model.AgentView;
import dev.hookbus.model.SessionView;
import dev.hookbus.model.Status;
import dev.hookbus.model.UsageView;
import dev.hookbus.model.WaitReason;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Mutable state of one open session; owned by {@link SessionRegistry}, never shared. */
final class Session {
  final String sessionId;
  final String teamKey;
  final long createdAt;
  final Map<String, Agent> agents = new LinkedHashMap<>();
  Integer tableIndex;
  /** Null until an event reports it: unknown is not 0 %. */
  Double contextPercent;
  long tokensUsed;
  Long contextWindow;
  Double costUsd;
  Status status = Status.ACTIVE;
  WaitReason waitingFor;
  String waitingDetail;
  String currentTool;
  Long toolStartedAt;
  long toolCalls;
  long toolFailures;
  long prompts;
  long events;
  String cwd;
  String model;
  String lastMessage;
  long lastEventAt;
  /** Null until the first usage event. */
  Usage usage;

  Session(String sessionId, String teamKey, long createdAt) {
    this.sessionId = sessionId;
    this.teamKey = teamKey;
    this.createdAt = createdAt;
    this.lastEventAt = createdAt;
  }

  void activate() {
    status = Status.ACTIVE;
    waitingFor = null;
    waitingDetail = null;
  }

  void idle() {
    status = Status.IDLE;
    waitingFor = null;
    waitingDetail = null;
  }

  boolean waitsFor(WaitReason reason) {
    return status == Status.WAITING && waitingFor == reason;
  }

  /** Waiting on a question only the person can answer; a parallel tool starting does not answer it. */
  boolean waitsForAnswer() {
    return waitsFor(WaitReason.PERMISSION) || waitsFor(WaitReason.ELICITATION);
  }

  void waitFor(WaitReason reason, String detail) {
    status = Status.WAITING;
    waitingFor = reason;
    waitingDetail = detail;
  }

  /** The tool now running, in the session itself or in one of its subagents. */
  void toolStarted(Agent agent, String tool, long at) {
    if (agent != null) {
      agent.currentTool = tool;
      agent.toolStartedAt = at;
    } else {
      currentTool = tool;
      toolStartedAt = at;
    }
  }

  void toolEnded(Agent agent) {
    if (agent != null) {
      agent.currentTool = null;
      agent.toolStartedAt = null;
    } else {
      currentTool = null;
      toolStartedAt = null;
    }
  }

  Usage usage() {
    if (usage == null) {
      usage = new Usage();
    }
    return usage;
  }

  /** What the snapshot shows of it. */
  SessionView view() {
    List<AgentView> agentViews = new ArrayList<>(agents.size());
    for (Agent a : agents.values()) {
      agentViews.add(new AgentView(a.agentId, a.agentType, a.description, a.currentTool, a.toolStartedAt,
          a.createdAt));
    }
    UsageView usageView = usage == null ? null : usage.view();
    // OTel wins over the status line: it counts every request, by model, journaled as increments; the status line
    // is Claude's same running total, but only while a terminal draws it.
    Double cost = usage != null && usage.knowsCost() ? Double.valueOf(usageView.costUsd()) : costUsd;
    return new SessionView(sessionId, teamKey, tableIndex, contextPercent, tokensUsed, contextWindow, cost,
        List.copyOf(agents.keySet()), agentViews, status, waitingFor, waitingDetail, currentTool, toolStartedAt,
        toolCalls, toolFailures, prompts, events, cwd, model, lastMessage, createdAt, lastEventAt,
        usageView);
  }
}
