package dev.hookbus.model;

import java.util.List;

/**
 * One open session as the snapshot shows it.
 *
 * @param tableIndex null while the session waits for a free table
 * @param contextPercent null until an event reported it
 * @param waitingFor why it waits, or null unless {@link Status#WAITING}
 * @param costUsd    from Claude Code's OpenTelemetry export when it sent any ({@code usage}), else the status line's
 * @param usage      cost, tokens and API requests from the OpenTelemetry export, or null when none arrived
 */
public record SessionView(String sessionId, String teamKey, Integer tableIndex, Double contextPercent,
                          long tokensUsed, Long contextWindow, Double costUsd, List<String> agentIds,
                          List<AgentView> agents, Status status, WaitReason waitingFor, String waitingDetail,
                          String currentTool, Long toolStartedAt, long toolCalls, long toolFailures, long prompts,
                          long events, String cwd, String model, String lastMessage, long createdAt,
                          long lastEventAt, UsageView usage) {
}
