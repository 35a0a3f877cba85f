package dev.hookbus.model;

import java.util.Map;

/**
 * A session's cost and tokens from Claude Code's OpenTelemetry export, as the snapshot and {@code usage:update}
 * show them.
 *
 * @param costSource  where costUsd (in all, by model, by agent) comes from: {@code metrics} (the cost sums) once any
 *                    cost point arrived, else {@code api-requests} (the api_request log events added up)
 * @param tokenSource where tokens come from, by the same rule
 * @param byAgent    by the agent id an attribute named; the session's own requests are not in it
 * @param lastApiError the last api_error ({@code error}, {@code statusCode}, {@code at}), or null
 */
public record UsageView(String costSource, String tokenSource, double costUsd, Tokens tokens, Map<String, ModelUsage> byModel,
                        Map<String, ModelUsage> byAgent, long apiRequests, long apiErrors, long linesAdded,
                        long linesRemoved, double activeTimeS, long commits, long pullRequests,
                        Map<String, Object> lastApiError) {

  public record Tokens(long input, long output, long cacheRead, long cacheCreation) {
  }

  public record ModelUsage(double costUsd, Tokens tokens, long apiRequests) {
  }
}
