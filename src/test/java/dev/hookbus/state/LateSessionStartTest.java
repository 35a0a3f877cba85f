package dev.hookbus.state;

import dev.hookbus.config.SessionsConfig;
import dev.hookbus.model.Envelope;
import dev.hookbus.model.Event;
import dev.hookbus.model.SessionView;
import dev.hookbus.model.Status;
import dev.hookbus.model.WaitReason;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claude Code runs SessionStart as an async command hook; the real 2.1.332 in {@code -p} mode posts it after
 * UserPromptSubmit now and then (ClaudeCodeIT saw it). The late one must enrich the session hookbus auto-opened,
 * not start it again: it is published as {@code session:info}.
 */
class LateSessionStartTest {
  private final SessionRegistry registry = new SessionRegistry(2, SessionsConfig.DEFAULT_TEAMS, 60_000);
  private long clock = 1_000_000;

  private Applied apply(String type, Object... keyValues) {
    Map<String, Object> payload = new HashMap<>();
    payload.put("sessionId", "s1");
    for (int i = 0; i < keyValues.length; i += 2) {
      payload.put((String) keyValues[i], keyValues[i + 1]);
    }
    clock += 10;
    return registry.apply(new Event(type, clock, clock, "s1", null, payload));
  }

  private SessionView session() {
    return registry.snapshot().sessions().get(0);
  }

  @Test
  @DisplayName("a startup SessionStart after the prompt is one session:info envelope, with its fields, same table")
  void lateStartEnriches() {
    apply("prompt:submit", "prompt", "Run echo hi");
    Applied late = apply("session:start", "source", "startup", "cwd", "/work/p");
    assertThat(late.envelopes()).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("session:info");
      assertThat(e.payload()).containsEntry("source", "startup")
          .containsEntry("tableIndex", 0).doesNotContainKey("autoOpened");
    });
    assertThat(registry.sessionCount()).isEqualTo(1);
    assertThat(session().cwd()).isEqualTo("/work/p");
    assertThat(session().prompts()).isEqualTo(1);
  }

  @Test
  @DisplayName("a late SessionStart keeps the session waiting for permission, and an idle session idle")
  void lateStartChangesNoStatus() {
    apply("tool:pre", "toolName", "Bash");
    apply("permission:request", "toolName", "Bash");
    apply("session:start", "source", "startup");
    assertThat(session().status()).isEqualTo(Status.WAITING);
    assertThat(session().waitingFor()).isEqualTo(WaitReason.PERMISSION);
    assertThat(session().currentTool()).isEqualTo("Bash");

    apply("turn:stop", "lastMessage", "done");
    apply("session:start", "source", "startup");
    assertThat(session().status()).isEqualTo(Status.IDLE);
  }

  @Test
  @DisplayName("only a SessionStart for an unknown session starts one; a resume of an open one is session:info")
  void onlyTheFirstStarts() {
    Applied first = apply("session:start", "source", "startup");
    assertThat(first.envelopes()).extracting(Envelope::type).containsExactly("session:start");
    apply("turn:stop");
    Applied resume = apply("session:start", "source", "resume");
    assertThat(resume.envelopes()).extracting(Envelope::type).containsExactly("session:info");
    assertThat(registry.sessionCount()).isEqualTo(1);
  }
}
