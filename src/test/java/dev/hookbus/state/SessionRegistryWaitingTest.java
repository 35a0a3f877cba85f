package dev.hookbus.state;

import dev.hookbus.model.Status;
import dev.hookbus.model.WaitReason;
import dev.hookbus.config.SessionsConfig;
import dev.hookbus.model.Event;
import dev.hookbus.model.SessionView;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static dev.hookbus.model.EventTypes.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The status a person cares about: active, waiting (and why), idle; running tools; subagents. */
class SessionRegistryWaitingTest {
  private final SessionRegistry registry = new SessionRegistry(8, SessionsConfig.DEFAULT_TEAMS, 60_000);
  private long clock = 1_000;

  private void apply(String type, String agentId, Object... keyValues) {
    Map<String, Object> payload = new HashMap<>();
    payload.put("sessionId", "s");
    for (int i = 0; i < keyValues.length; i += 2) {
      payload.put((String) keyValues[i], keyValues[i + 1]);
    }
    clock += 10;
    registry.apply(new Event(type, clock, clock, "s", agentId, payload));
  }

  private SessionView session() {
    return registry.snapshot().sessions().get(0);
  }

  @Test
  @DisplayName("PermissionRequest waits at once; a parallel tool starting does not clear it, its result does")
  void permissionWaitsUntilResult() {
    apply(TOOL_PRE, null, "toolName", "Bash");
    apply(PERMISSION_REQUEST, null, "toolName", "Bash");
    assertThat(session().status()).isEqualTo(Status.WAITING);
    assertThat(session().waitingFor()).isEqualTo(WaitReason.PERMISSION);
    assertThat(session().waitingDetail()).isEqualTo("Bash");
    apply(NOTIFICATION, null, "notificationType", "permission_prompt", "message", "Claude needs your permission");
    assertThat(session().waitingDetail()).isEqualTo("Bash");
    apply(TOOL_PRE, null, "toolName", "Read");
    assertThat(session().status()).isEqualTo(Status.WAITING);
    apply(TOOL_POST, null, "toolName", "Bash");
    assertThat(session().status()).isEqualTo(Status.ACTIVE);
    assertThat(session().waitingFor()).isNull();
  }

  @Test
  @DisplayName("a prompt or a stop clears the wait; stop leaves the session idle")
  void promptAndStopClear() {
    apply(PERMISSION_REQUEST, null, "toolName", "Edit");
    apply(PROMPT_SUBMIT, null, "prompt", "no, do this instead");
    assertThat(session().status()).isEqualTo(Status.ACTIVE);
    apply(PERMISSION_REQUEST, null, "toolName", "Edit");
    apply(TURN_STOP, null, "lastMessage", "Stopped.");
    assertThat(session().status()).isEqualTo(Status.IDLE);
    assertThat(session().lastMessage()).isEqualTo("Stopped.");
  }

  @Test
  @DisplayName("PermissionDenied ends the tool and the wait; it is not a failure")
  void permissionDenied() {
    apply(TOOL_PRE, null, "toolName", "Bash");
    apply(PERMISSION_DENIED, null, "toolName", "Bash", "reason", "auto mode");
    assertThat(session().status()).isEqualTo(Status.ACTIVE);
    assertThat(session().currentTool()).isNull();
    assertThat(session().toolFailures()).isZero();
  }

  @Test
  @DisplayName("an elicitation waits until its result; a permission wait is not cleared by an elicitation result")
  void elicitation() {
    apply(ELICITATION, null, "message", "Which environment?");
    assertThat(session().waitingFor()).isEqualTo(WaitReason.ELICITATION);
    apply(ELICITATION_RESULT, null, "action", "accept");
    assertThat(session().status()).isEqualTo(Status.ACTIVE);
    apply(PERMISSION_REQUEST, null, "toolName", "Bash");
    apply(ELICITATION_RESULT, null, "action", "accept");
    assertThat(session().waitingFor()).isEqualTo(WaitReason.PERMISSION);
  }

  @Test
  @DisplayName("an idle_prompt notification after a stop means it waits for input")
  void idlePrompt() {
    apply(TURN_STOP, null);
    apply(NOTIFICATION, null, "notificationType", "idle_prompt", "message", "Claude is waiting for your input");
    assertThat(session().status()).isEqualTo(Status.WAITING);
    assertThat(session().waitingFor()).isEqualTo(WaitReason.INPUT);
    apply(PROMPT_SUBMIT, null, "prompt", "go on");
    assertThat(session().status()).isEqualTo(Status.ACTIVE);
  }

  @Test
  @DisplayName("a tool event from a subagent never seen starting tracks it under its own id, not the session")
  void unknownSubagentTracked() {
    apply(TOOL_PRE, "agent-9", "toolName", "Grep", "agentType", "Explore");
    assertThat(session().currentTool()).isNull();
    assertThat(session().agents()).singleElement().satisfies(a -> {
      assertThat(a.agentId()).isEqualTo("agent-9");
      assertThat(a.agentType()).isEqualTo("Explore");
      assertThat(a.currentTool()).isEqualTo("Grep");
    });
    apply(SUBAGENT_STOP, "agent-9");
    assertThat(session().agents()).isEmpty();
  }

  @Test
  @DisplayName("SessionStart again (resume, clear, compact) is the same session with its counts")
  void sessionStartAgainIsSameSession() {
    apply(SESSION_START, null, "source", "startup");
    apply(PROMPT_SUBMIT, null, "prompt", "hi");
    apply(SESSION_START, null, "source", "compact");
    assertThat(registry.snapshot().sessions()).hasSize(1);
    assertThat(session().prompts()).isEqualTo(1);
  }
}
