package dev.hookbus.state;

import dev.hookbus.config.AppConfig;
import dev.hookbus.config.SessionsConfig;
import dev.hookbus.model.ApprovalView;
import dev.hookbus.model.Envelope;
import dev.hookbus.model.Event;
import dev.hookbus.model.SessionView;
import dev.hookbus.model.Status;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.hookbus.model.EventTypes.*;
import static org.assertj.core.api.Assertions.assertThat;

/** What approvals do in the registry, and what a denial does to the session: pure, no event loop. */
class ApprovalRulesTest {
  private final SessionRegistry registry = new SessionRegistry(8, SessionsConfig.DEFAULT_TEAMS, 60_000);
  private long clock = 1_000;

  private Applied apply(String type, String agentId, Object... keyValues) {
    Map<String, Object> payload = new HashMap<>();
    payload.put("sessionId", "s");
    for (int i = 0; i < keyValues.length; i += 2) {
      payload.put((String) keyValues[i], keyValues[i + 1]);
    }
    clock += 10;
    return registry.apply(new Event(type, clock, clock, "s", agentId, payload));
  }

  private Applied held(String id, String agentId) {
    return apply(PERMISSION_REQUEST, agentId, "toolName", "Bash", "toolInput", Map.of("command", "ls"),
        "approvalId", id, "expiresAt", clock + 120_000);
  }

  private SessionView session() {
    return registry.snapshot().sessions().get(0);
  }

  private static List<String> types(Applied applied) {
    return applied.envelopes().stream().map(Envelope::type).toList();
  }

  @Test
  @DisplayName("after a denial in the terminal only PostToolBatch follows: the session stops waiting, the denied"
      + " tool is no longer running and does not count")
  void postToolBatchAfterDenial() {
    apply(TOOL_PRE, null, "toolName", "Bash");
    apply(PERMISSION_REQUEST, null, "toolName", "Bash");
    assertThat(session().status()).isEqualTo(Status.WAITING);
    assertThat(session().toolCalls()).isEqualTo(1);
    apply(POST_TOOL_BATCH, null, "hook", Map.of("tool_calls", List.of(Map.of("tool_name", "Bash",
        "tool_response", "Permission to use Bash has been denied."))));
    assertThat(session().status()).isEqualTo(Status.ACTIVE);
    assertThat(session().currentTool()).isNull();
    assertThat(session().toolCalls()).isZero();

    apply(TOOL_PRE, null, "toolName", "Read");
    apply(TOOL_POST, null, "toolName", "Read");
    apply(POST_TOOL_BATCH, null);
    assertThat(session().toolCalls()).as("a batch after tools that ran changes nothing").isEqualTo(1);
  }

  @Test
  @DisplayName("a held request opens a pending approval (derived envelope); deny decided in hookbus ends the wait"
      + " like a denial")
  void heldAndDenied() {
    apply(TOOL_PRE, null, "toolName", "Bash");
    Applied opened = held("a1", null);
    assertThat(types(opened)).containsExactly(PERMISSION_REQUEST, APPROVAL_PENDING);
    assertThat(registry.snapshot().approvals()).extracting(ApprovalView::id).containsExactly("a1");
    ApprovalView approval = registry.approvals().find("a1");
    ApprovalView denied = approval.decided(Map.of("behavior", "deny"), "local", clock);
    registry.apply(new Event(APPROVAL_DECIDED, clock, clock, "s", null, denied.toMap()));
    assertThat(registry.snapshot().approvals()).isEmpty();
    assertThat(registry.approvals().find("a1").status()).isEqualTo(ApprovalView.DECIDED);
    assertThat(session().status()).isEqualTo(Status.ACTIVE);
    assertThat(session().toolCalls()).isZero();
  }

  @Test
  @DisplayName("moving on supersedes: the same agent's next tool event, not another agent's; a prompt, every one of"
      + " the session; session end too")
  void supersedeScope() {
    held("main", null);
    held("sub", "agent-1");
    assertThat(types(apply(TOOL_PRE, "agent-2", "toolName", "Read"))).containsExactly(TOOL_PRE);
    assertThat(types(apply(TOOL_PRE, "agent-1", "toolName", "Read"))).containsExactly(TOOL_PRE, APPROVAL_SUPERSEDED);
    assertThat(registry.approvals().find("sub").status()).isEqualTo(ApprovalView.SUPERSEDED);
    assertThat(registry.approvals().find("main").pending()).isTrue();
    held("sub2", "agent-1");
    assertThat(types(apply(PROMPT_SUBMIT, null, "prompt", "go on")))
        .containsExactly(PROMPT_SUBMIT, APPROVAL_SUPERSEDED, APPROVAL_SUPERSEDED);
    held("last", null);
    assertThat(types(held("newer", null))).as("a newer request of the same agent replaces it")
        .containsExactly(PERMISSION_REQUEST, APPROVAL_SUPERSEDED, APPROVAL_PENDING);
    assertThat(types(apply(SESSION_END, null))).containsExactly(SESSION_END, APPROVAL_SUPERSEDED);
    assertThat(registry.snapshot().approvals()).isEmpty();
  }

  @Test
  @DisplayName("a checkpoint keeps pending and ended approvals: the loaded registry answers the same")
  void checkpointKeepsApprovals() {
    held("ended", null);
    apply(TOOL_POST, null, "toolName", "Bash");
    held("open", null);
    JsonObject saved = RegistryCheckpoint.save(registry, AppConfig.defaults().sessions(), "e1");
    SessionRegistry loaded = RegistryCheckpoint.load(new JsonObject(saved.encode()), AppConfig.defaults().sessions(), "e1");
    assertThat(loaded.snapshot()).isEqualTo(registry.snapshot());
    assertThat(loaded.approvals().find("ended").status()).isEqualTo(ApprovalView.SUPERSEDED);
    assertThat(loaded.approvals().find("open").toolInput()).isEqualTo(Map.of("command", "ls"));
  }
}
