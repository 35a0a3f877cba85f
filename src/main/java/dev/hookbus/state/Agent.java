package dev.hookbus.state;

/** Mutable state of one running subagent; owned by {@link SessionRegistry}. */
final class Agent {
  final String agentId;
  final String sessionId;
  final long createdAt;
  String agentType;
  String description;
  String currentTool;
  Long toolStartedAt;

  Agent(String agentId, String sessionId, long createdAt) {
    this.agentId = agentId;
    this.sessionId = sessionId;
    this.createdAt = createdAt;
  }
}
