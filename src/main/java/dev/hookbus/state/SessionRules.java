package dev.hookbus.state;

import dev.hookbus.model.Event;
import dev.hookbus.model.WaitReason;

import java.util.Map;

import static dev.hookbus.model.EventTypes.*;

/**
 * What each event type does to the session it belongs to: status, waiting, running tool, counters, context,
 * subagents. Pure: no clock, no I/O; {@link SessionRegistry} calls it after seating the session.
 */
final class SessionRules {
  private static final int PREVIEW_CHARS = 280;

  private SessionRules() {
  }

  static void apply(Session session, Agents agents, Event event) {
    Map<String, Object> p = event.payload();
    Agent agent = agents.of(session, event);
    switch (event.type()) {
      case SESSION_START -> session.activate();
      case SUBAGENT_START -> agents.start(session, event);
      case SUBAGENT_STOP -> agents.stop(event.agentId());
      case CONTEXT_UPDATE -> context(session, p);
      case TOOL_PRE -> toolStarted(session, agent, event);
      case TOOL_POST, TOOL_FAILURE, PERMISSION_DENIED -> toolEnded(session, agent, event.type());
      case PROMPT_SUBMIT -> {
        session.prompts++;
        session.activate();
      }
      case PERMISSION_REQUEST -> session.waitFor(WaitReason.PERMISSION, text(p, "toolName"));
      case ELICITATION -> session.waitFor(WaitReason.ELICITATION, preview(text(p, "message")));
      case ELICITATION_RESULT -> {
        if (session.waitsFor(WaitReason.ELICITATION)) {
          session.activate();
        }
      }
      case NOTIFICATION -> notification(session, p);
      case POST_TOOL_BATCH -> {
        // After a denied permission no PostToolUse comes: this batch is the only sign the session moved on.
        if (session.waitsFor(WaitReason.PERMISSION)) {
          permissionRefused(session, agent);
        }
      }
      case USAGE_API_REQUEST, USAGE_API_ERROR, USAGE_TOOL_DECISION -> UsageRules.apply(session, event);
      case TURN_STOP -> {
        session.idle();
        session.toolEnded(null);
      }
      default -> {
      }
    }
  }

  /** The tool asked for permission and will not run: it no longer counts, and the session goes on. */
  static void permissionRefused(Session session, Agent agent) {
    if (session.toolCalls > 0) {
      session.toolCalls--;
    }
    session.activate();
    session.toolEnded(agent);
  }

  /** Someone decided the session's pending approval in hookbus: it runs the tool, or will not. */
  static void approvalDecided(Session session, Agent agent, boolean allowed) {
    if (!session.waitsFor(WaitReason.PERMISSION)) {
      return;
    }
    if (allowed) {
      session.activate();
    } else {
      permissionRefused(session, agent);
    }
  }

  /** An elicitation answered from hookbus: the MCP server has its answer, the session works on. */
  static void elicitationAnswered(Session session) {
    if (session.waitsFor(WaitReason.ELICITATION)) {
      session.activate();
    }
  }

  private static void context(Session session, Map<String, Object> p) {
    if (p.get("percent") instanceof Number n) {
      session.contextPercent = n.doubleValue();
    }
    session.tokensUsed = (long) number(p, "tokens", session.tokensUsed);
    if (p.get("windowSize") instanceof Number n) {
      session.contextWindow = n.longValue();
    }
    if (p.get("costUsd") instanceof Number n) {
      session.costUsd = n.doubleValue();
    }
  }

  private static void toolStarted(Session session, Agent agent, Event event) {
    session.toolCalls++;
    if (!session.waitsForAnswer()) {
      session.activate();
    }
    session.toolStarted(agent, text(event.payload(), "toolName"), event.timestamp());
  }

  private static void toolEnded(Session session, Agent agent, String type) {
    if (type.equals(TOOL_FAILURE)) {
      session.toolFailures++;
    }
    session.activate();
    session.toolEnded(agent);
  }

  private static void notification(Session session, Map<String, Object> p) {
    WaitReason reason = WaitReason.ofNotification(text(p, "notificationType"));
    // The permission_prompt notification trails PermissionRequest by seconds; keep the tool name it gave.
    if (reason != null && !session.waitsFor(reason)) {
      session.waitFor(reason, preview(text(p, "message")));
    }
  }

  /** Fields any event may carry (cwd, model, last message, context %); before the event's own rule. */
  static void noteCommonFields(Session session, Map<String, Object> p) {
    String cwd = text(p, "cwd");
    if (cwd != null) {
      session.cwd = cwd;
    }
    String model = text(p, "model");
    if (model != null) {
      session.model = model;
    }
    String lastMessage = text(p, "lastMessage");
    if (lastMessage != null) {
      session.lastMessage = preview(lastMessage);
    }
    if (p.get("contextPercent") instanceof Number n) {
      session.contextPercent = n.doubleValue();
    }
  }

  static String text(Map<String, Object> payload, String key) {
    return payload.get(key) instanceof String s ? s : null;
  }

  private static double number(Map<String, Object> payload, String key, double fallback) {
    return payload.get(key) instanceof Number n ? n.doubleValue() : fallback;
  }

  static String preview(String text) {
    if (text == null || text.length() <= PREVIEW_CHARS) {
      return text;
    }
    return text.substring(0, PREVIEW_CHARS) + "…";
  }
}
