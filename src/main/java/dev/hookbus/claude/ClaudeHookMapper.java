package dev.hookbus.claude;

import dev.hookbus.bus.FailureCode;
import dev.hookbus.bus.Refusal;
import dev.hookbus.model.Event;
import dev.hookbus.model.EventTypes;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.hookbus.model.EventTypes.*;

/**
 * Maps the JSON a Claude Code hook receives (snake_case, {@code hook_event_name}) to canonical hookbus events.
 * Pure: no Vert.x besides JsonObject, no clock (the caller stamps {@code receivedAt}; hooks carry no time).
 * A hook name it does not know becomes {@code claude:<kebab-case-name>}, so a newer Claude Code never gets a 4xx.
 */
public final class ClaudeHookMapper {
  /** Ids become event-bus addresses; the bridge refuses addresses longer than 200 characters. */
  static final int MAX_ID_LENGTH = 128;
  static final String CUSTOM_PREFIX = "claude:";

  private ClaudeHookMapper() {
  }

  /** The events for one hook body, in the order they are to be applied (usually one). */
  public static List<Event> map(JsonObject body, long receivedAt) {
    if (!(body.getValue("hook_event_name") instanceof String hookName) || hookName.isBlank()) {
      throw invalid("hook_event_name", "is required and must be a non-empty string");
    }
    if (!(body.getValue("session_id") instanceof String sessionId) || sessionId.isEmpty()
        || sessionId.length() > MAX_ID_LENGTH) {
      throw invalid("session_id", "is required and must be a string of 1 to " + MAX_ID_LENGTH + " characters");
    }
    String agentId = body.getValue("agent_id") instanceof String a && !a.isEmpty() && a.length() <= MAX_ID_LENGTH
        ? a : null;
    HookFields f = new HookFields(body);
    f.take("session_id", "sessionId").take("hook_event_name", "hookEventName");
    if (agentId != null) {
      f.take("agent_id", "agentId");
    }
    f.takeText("agent_type", "agentType").takeText("cwd", "cwd").takeText("transcript_path", "transcriptPath")
        .takeText("permission_mode", "permissionMode").takeText("prompt_id", "promptId")
        .takeText("model", "model").take("effort", "effort");
    String type = mapFields(hookName, f, agentId);
    List<Event> events = new ArrayList<>(2);
    events.add(new Event(type, receivedAt, receivedAt, sessionId, agentId, f.payload()));
    if (type.equals(TOOL_PRE) && "Skill".equals(f.peek("toolName"))) {
      events.add(new Event(SKILL_USE, receivedAt, receivedAt, sessionId, agentId, skillPayload(f, sessionId, agentId)));
    }
    return events;
  }

  /** Moves the event's own fields into the payload and returns the hookbus type. */
  private static String mapFields(String hookName, HookFields f, String agentId) {
    switch (hookName) {
      case "SessionStart" -> {
        f.takeText("source", "source").take("session_title", "sessionTitle");
        return SESSION_START;
      }
      case "SessionEnd" -> {
        f.takeText("reason", "reason");
        return SESSION_END;
      }
      case "UserPromptSubmit" -> {
        f.take("prompt", "prompt").takeText("source", "source");
        return PROMPT_SUBMIT;
      }
      case "PreToolUse" -> {
        tool(f);
        return TOOL_PRE;
      }
      case "PostToolUse" -> {
        tool(f);
        f.take("tool_response", "toolResponse").take("duration_ms", "durationMs");
        return TOOL_POST;
      }
      case "PostToolUseFailure" -> {
        tool(f);
        f.take("error", "error").take("is_interrupt", "isInterrupt").take("duration_ms", "durationMs");
        return TOOL_FAILURE;
      }
      case "PermissionRequest" -> {
        tool(f);
        f.take("permission_suggestions", "permissionSuggestions");
        return PERMISSION_REQUEST;
      }
      case "PermissionDenied" -> {
        tool(f);
        f.take("reason", "reason");
        return PERMISSION_DENIED;
      }
      case "Notification" -> {
        f.take("message", "message").take("title", "title").takeText("notification_type", "notificationType");
        return NOTIFICATION;
      }
      case "SubagentStart" -> {
        return agentId == null ? custom(hookName) : SUBAGENT_START;
      }
      case "SubagentStop" -> {
        f.take("last_assistant_message", "agentLastMessage").take("agent_transcript_path", "agentTranscriptPath")
            .take("stop_hook_active", "stopHookActive");
        return agentId == null ? custom(hookName) : SUBAGENT_STOP;
      }
      case "Stop" -> {
        f.take("last_assistant_message", "lastMessage").take("stop_hook_active", "stopHookActive")
            .take("background_tasks", "backgroundTasks").take("session_crons", "sessionCrons");
        return TURN_STOP;
      }
      case "StopFailure" -> {
        f.take("error", "error").take("error_details", "errorDetails")
            .take("last_assistant_message", "lastMessage").put("failed", true);
        return TURN_STOP;
      }
      case "PreModelSwitch", "PostModelSwitch" -> {
        modelSwitch(f, hookName.startsWith("Post"));
        return MODEL_SWITCH;
      }
      case "PreCompact" -> {
        f.takeText("trigger", "trigger").take("custom_instructions", "customInstructions").put("phase", "pre");
        return COMPACT;
      }
      case "PostCompact" -> {
        f.takeText("trigger", "trigger").take("compact_summary", "compactSummary").put("phase", "post");
        return COMPACT;
      }
      case "Elicitation" -> {
        f.take("message", "message").take("mcp_server_name", "mcpServerName")
            .take("requested_schema", "requestedSchema").takeText("mode", "mode").takeText("url", "url")
            .takeText("elicitation_id", "elicitationId");
        return ELICITATION;
      }
      case "ElicitationResult" -> {
        f.take("action", "action").take("content", "content").take("mcp_server_name", "mcpServerName");
        return ELICITATION_RESULT;
      }
      case "CwdChanged" -> {
        f.take("old_cwd", "oldCwd");
        if (f.text("new_cwd") != null) {
          f.take("new_cwd", "cwd");
        }
        return custom(hookName);
      }
      case "Setup" -> {
        f.takeText("trigger", "trigger");
        return custom(hookName);
      }
      default -> {
        return custom(hookName);
      }
    }
  }

  /**
   * The field names are Claude Code 2.1.332's (read from its binary): {@code from_model}, {@code to_model},
   * {@code requested_model} (what was asked for, an alias or an id; null, and so left out, for "default"), {@code source} (command,
   * picker, sdk; PostModelSwitch also auto and resume), and what it adds about the prompt cache the switch forfeits:
   * {@code context_tokens},
   * {@code prompt_cache_warm}, {@code cache_ttl} (5m / 1h), {@code estimated_cache_write_usd} and {@code pricing}
   * (configured, catalog, default). Only PostModelSwitch says the switch happened, so only its payload carries
   * {@code model} (which sets the session's); a PreModelSwitch may still be refused.
   */
  private static void modelSwitch(HookFields f, boolean done) {
    f.put("phase", done ? "post" : "pre");
    f.takeText("from_model", "fromModel").takeText("to_model", "toModel")
        .take("requested_model", "requestedModel").takeText("source", "source")
        .take("context_tokens", "contextTokens").take("prompt_cache_warm", "promptCacheWarm")
        .takeText("cache_ttl", "cacheTtl").take("estimated_cache_write_usd", "estimatedCacheWriteUsd")
        .takeText("pricing", "pricing");
    f.remove("model");
    if (done) {
      f.put("model", f.peek("toModel"));
    }
  }

  private static void tool(HookFields f) {
    f.takeText("tool_name", "toolName").take("tool_input", "toolInput").takeText("tool_use_id", "toolUseId");
  }

  private static Map<String, Object> skillPayload(HookFields f, String sessionId, String agentId) {
    JsonObject payload = new JsonObject().put("sessionId", sessionId).put("toolUseId", f.peek("toolUseId"));
    if (agentId != null) {
      payload.put("agentId", agentId);
    }
    if (f.peek("toolInput") instanceof Map<?, ?> input) {
      payload.put("skill", input.get("skill")).put("args", input.get("args"));
    } else if (f.peek("toolInput") instanceof JsonObject input) {
      payload.put("skill", input.getValue("skill")).put("args", input.getValue("args"));
    }
    return payload.getMap();
  }

  /** {@code PostToolBatch} → {@code claude:post-tool-batch}; always matches {@link EventTypes#CUSTOM}. */
  static String custom(String hookName) {
    StringBuilder kebab = new StringBuilder();
    char[] chars = hookName.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      char c = chars[i];
      boolean upper = c >= 'A' && c <= 'Z';
      if (upper || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        char before = i > 0 ? chars[i - 1] : '-';
        char after = i + 1 < chars.length ? chars[i + 1] : '-';
        boolean wordStart = upper && (Character.isLowerCase(before) || Character.isDigit(before)
            || (Character.isUpperCase(before) && Character.isLowerCase(after)));
        if (wordStart && kebab.length() > 0 && kebab.charAt(kebab.length() - 1) != '-') {
          kebab.append('-');
        }
        kebab.append(Character.toLowerCase(c));
      } else if (kebab.length() > 0 && kebab.charAt(kebab.length() - 1) != '-') {
        kebab.append('-');
      }
    }
    String name = kebab.toString().replaceAll("-+$", "");
    String type = CUSTOM_PREFIX + (name.isEmpty() ? "unknown" : name);
    return type.length() > 64 ? type.substring(0, 64).replaceAll("-+$", "") : type;
  }

  private static Refusal invalid(String field, String problem) {
    return new Refusal(FailureCode.INVALID_EVENT, field + " " + problem);
  }
}
