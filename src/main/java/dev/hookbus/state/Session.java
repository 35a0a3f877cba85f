package dev.hookbus.state;

import java.util.LinkedHashMap;
import java.util.Map;

/** Mutable state of one open session; owned by {@link SessionRegistry}, never shared. */
final class Session {
  final String sessionId;
  final String teamKey;
  final long createdAt;
  final Map<String, Agent> agents = new LinkedHashMap<>();
  Integer tableIndex;
  double contextPercent;
  long tokensUsed;
  Long contextWindow;
  Double costUsd;
  String status = "active";
  String waitingFor;
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

  Session(String sessionId, String teamKey, long createdAt) {
    this.sessionId = sessionId;
    this.teamKey = teamKey;
    this.createdAt = createdAt;
    this.lastEventAt = createdAt;
  }

  void activate() {
    status = "active";
    waitingFor = null;
    waitingDetail = null;
  }

  /** Waiting on a question only the person can answer; a parallel tool starting does not answer it. */
  boolean waitsForAnswer() {
    return "waiting".equals(status) && ("permission".equals(waitingFor) || "elicitation".equals(waitingFor));
  }

  void waitFor(String reason, String detail) {
    status = "waiting";
    waitingFor = reason;
    waitingDetail = detail;
  }
}
