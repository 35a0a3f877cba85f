package dev.hookbus.model;

/** A running subagent as the snapshot shows it. */
public record AgentView(String agentId, String agentType, String description, String currentTool,
                        Long toolStartedAt, long createdAt) {
}
