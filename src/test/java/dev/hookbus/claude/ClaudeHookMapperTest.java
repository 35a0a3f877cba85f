package dev.hookbus.claude;

import dev.hookbus.bus.FailureCode;
import dev.hookbus.bus.Refusal;
import dev.hookbus.model.Event;
import dev.hookbus.model.EventTypes;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClaudeHookMapperTest {
  private static final long NOW = 1_763_700_000_000L;

  private static JsonObject hook(String name) {
    return new JsonObject().put("session_id", "s-1").put("hook_event_name", name)
        .put("transcript_path", "/home/u/.claude/projects/p/s-1.jsonl").put("cwd", "/work/p")
        .put("permission_mode", "default");
  }

  private static Event one(JsonObject body) {
    List<Event> events = ClaudeHookMapper.map(body, NOW);
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
      "SessionStart, session:start", "SessionEnd, session:end", "UserPromptSubmit, prompt:submit",
      "PreToolUse, tool:pre", "PostToolUse, tool:post", "PostToolUseFailure, tool:failure",
      "PermissionRequest, permission:request", "PermissionDenied, permission:denied",
      "Notification, notification", "Stop, turn:stop", "StopFailure, turn:stop", "PreCompact, compact",
      "PostCompact, compact", "Elicitation, elicitation", "ElicitationResult, elicitation:result",
      "Setup, claude:setup", "InstructionsLoaded, claude:instructions-loaded",
      "UserPromptExpansion, claude:user-prompt-expansion", "MessageDisplay, claude:message-display",
      "PostToolBatch, claude:post-tool-batch", "TaskCreated, claude:task-created",
      "TaskCompleted, claude:task-completed", "TeammateIdle, claude:teammate-idle",
      "ConfigChange, claude:config-change", "CwdChanged, claude:cwd-changed", "DirectoryAdded, claude:directory-added",
      "FileChanged, claude:file-changed", "WorktreeCreate, claude:worktree-create",
      "WorktreeRemove, claude:worktree-remove", "SomeFutureHook, claude:some-future-hook",
      "MCPServerReady, claude:mcp-server-ready"})
  @DisplayName("every hook of the reference maps to its hookbus type, unknown ones to claude:<kebab-case>")
  void mapsEveryHookName(String hookName, String type) {
    Event event = one(hook(hookName).put("agent_id", "a-1"));
    assertThat(event.type()).isEqualTo(type).matches(EventTypes.CUSTOM);
    assertThat(event.sessionId()).isEqualTo("s-1");
    assertThat(event.timestamp()).isEqualTo(NOW);
    assertThat(event.receivedAt()).isEqualTo(NOW);
    assertThat(event.payload()).containsEntry("sessionId", "s-1").containsEntry("cwd", "/work/p")
        .containsEntry("hookEventName", hookName);
  }

  @Test
  @DisplayName("a tool event moves its fields to camelCase, keeps the rest under hook, and names its subagent")
  void toolEventInsideSubagent() {
    JsonObject body = hook("PostToolUse").put("agent_id", "agent-7").put("agent_type", "Explore")
        .put("tool_name", "Read").put("tool_use_id", "toolu_1")
        .put("tool_input", new JsonObject().put("file_path", "/work/p/a.txt"))
        .put("tool_response", new JsonObject().put("content", "héllo ✓")).put("duration_ms", 12)
        .put("effort", new JsonObject().put("level", "high")).put("some_future_field", 1);
    Event event = one(body);
    assertThat(event.agentId()).isEqualTo("agent-7");
    Map<String, Object> p = event.payload();
    assertThat(p).containsEntry("toolName", "Read").containsEntry("toolUseId", "toolu_1")
        .containsEntry("agentId", "agent-7").containsEntry("agentType", "Explore").containsEntry("durationMs", 12)
        .containsKeys("toolInput", "toolResponse", "effort").doesNotContainKeys("tool_name", "tool_input");
    assertThat(new JsonObject(p).getJsonObject("hook").getMap()).containsOnlyKeys("some_future_field");
  }

  @Test
  @DisplayName("an old client's body (no agent_id, subagent tool called Task) invents no agent")
  void oldStyleSubagentHasNoAgentId() {
    Event event = one(hook("PreToolUse").put("tool_name", "Task")
        .put("tool_input", new JsonObject().put("subagent_type", "general-purpose")));
    assertThat(event.agentId()).isNull();
    assertThat(event.payload()).doesNotContainKey("agentId").containsEntry("toolName", "Task");
  }

  @Test
  @DisplayName("SubagentStart/Stop without agent_id pass through as claude:* instead of inventing an id")
  void subagentWithoutIdPassesThrough() {
    assertThat(one(hook("SubagentStart")).type()).isEqualTo("claude:subagent-start");
    Event stop = one(hook("SubagentStop").put("agent_id", "a-2").put("agent_type", "Plan")
        .put("last_assistant_message", "done"));
    assertThat(stop.type()).isEqualTo(EventTypes.SUBAGENT_STOP);
    assertThat(stop.payload()).containsEntry("agentLastMessage", "done").doesNotContainKey("lastMessage");
  }

  @Test
  @DisplayName("Stop carries the last assistant message; StopFailure is a failed turn:stop")
  void stopAndStopFailure() {
    assertThat(one(hook("Stop").put("last_assistant_message", "All done.").put("stop_hook_active", false))
        .payload()).containsEntry("lastMessage", "All done.").containsEntry("stopHookActive", false);
    assertThat(one(hook("StopFailure").put("error", "rate_limit")).payload())
        .containsEntry("error", "rate_limit").containsEntry("failed", true);
  }

  @Test
  @DisplayName("SessionStart keeps source and model; CwdChanged updates cwd; compaction says its phase")
  void sessionFields() {
    assertThat(one(hook("SessionStart").put("source", "resume").put("model", "claude-sonnet-4-6")).payload())
        .containsEntry("source", "resume").containsEntry("model", "claude-sonnet-4-6");
    assertThat(one(hook("CwdChanged").put("old_cwd", "/work/p").put("new_cwd", "/work/p/sub")).payload())
        .containsEntry("cwd", "/work/p/sub").containsEntry("oldCwd", "/work/p");
    assertThat(one(hook("PreCompact").put("trigger", "auto")).payload())
        .containsEntry("trigger", "auto").containsEntry("phase", "pre");
  }

  @Test
  @DisplayName("a PreToolUse of the Skill tool is tool:pre followed by skill:use")
  void skillToolAlsoSkillUse() {
    List<Event> events = ClaudeHookMapper.map(hook("PreToolUse").put("tool_name", "Skill")
        .put("tool_use_id", "toolu_9").put("tool_input", new JsonObject().put("skill", "pdf")), NOW);
    assertThat(events).extracting(Event::type).containsExactly(EventTypes.TOOL_PRE, EventTypes.SKILL_USE);
    assertThat(events.get(1).payload()).containsEntry("skill", "pdf").containsEntry("sessionId", "s-1");
  }

  @Test
  @DisplayName("Notification keeps message, title and notification_type")
  void notification() {
    assertThat(one(hook("Notification").put("message", "Claude needs your permission to use Bash")
        .put("title", "Permission needed").put("notification_type", "permission_prompt")).payload())
        .containsEntry("notificationType", "permission_prompt").containsEntry("title", "Permission needed");
  }

  @Test
  @DisplayName("only bodies that are not hooks are refused, naming the field")
  void rejectsNonHooks() {
    assertThatThrownBy(() -> ClaudeHookMapper.map(new JsonObject().put("session_id", "s"), NOW))
        .isInstanceOf(Refusal.class).hasMessageContaining("hook_event_name")
        .extracting(e -> ((Refusal) e).code()).isEqualTo(FailureCode.INVALID_EVENT);
    assertThatThrownBy(() -> ClaudeHookMapper.map(new JsonObject().put("hook_event_name", "Stop")
        .put("session_id", 42), NOW)).hasMessageContaining("session_id");
    assertThat(ClaudeHookMapper.map(hook("Stop").put("whatever", List.of(1, 2)), NOW)).hasSize(1);
  }

  @Test
  @DisplayName("custom names always match the custom type pattern")
  void customNames() {
    assertThat(ClaudeHookMapper.custom("Ünïcode Hook!")).isEqualTo("claude:n-code-hook").matches(EventTypes.CUSTOM);
    assertThat(ClaudeHookMapper.custom("***")).isEqualTo("claude:unknown");
    assertThat(ClaudeHookMapper.custom("A".repeat(200))).matches(EventTypes.CUSTOM);
  }
}
