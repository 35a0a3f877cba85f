package dev.hookbus.notify;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One stretch of time a session waits for its person, from the event that started it to the one that ended it.
 * Each webhook is told about it at most once ({@link #sent}).
 */
final class Wait {
  static final String PERMISSION = "permission";
  static final String ELICITATION = "elicitation";
  static final String INPUT = "input";

  final String sessionId;
  final String reason;
  final String detail;
  final long startedAt;
  final JsonObject envelope;
  String agentId;
  /** The pending approval of this wait, while there is one. */
  Approval approval;
  boolean ended;
  final Set<Integer> sent = new HashSet<>();
  final List<Long> timers = new ArrayList<>();

  Wait(String sessionId, String agentId, String reason, String detail, long startedAt, JsonObject envelope) {
    this.sessionId = sessionId;
    this.agentId = agentId;
    this.reason = reason;
    this.detail = detail;
    this.startedAt = startedAt;
    this.envelope = envelope;
  }

  /** A pending approval as {@code approval:pending} announced it. */
  record Approval(String id, String toolName, String summary, JsonObject envelope) {
  }
}
