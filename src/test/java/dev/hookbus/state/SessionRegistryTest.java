package dev.hookbus.state;

import dev.hookbus.model.Status;
import dev.hookbus.model.WaitReason;
import dev.hookbus.config.SessionsConfig;
import dev.hookbus.model.Envelope;
import dev.hookbus.model.Event;
import dev.hookbus.model.SessionView;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SessionRegistryTest {
  private static final long IDLE_MS = 60_000;
  private final SessionRegistry registry = new SessionRegistry(2, SessionsConfig.DEFAULT_TEAMS, IDLE_MS);
  private long clock = 1_000_000;

  private Applied apply(String type, String sessionId, Object... keyValues) {
    Map<String, Object> payload = new HashMap<>();
    payload.put("sessionId", sessionId);
    for (int i = 0; i < keyValues.length; i += 2) {
      payload.put((String) keyValues[i], keyValues[i + 1]);
    }
    String agentId = (String) payload.get("agentId");
    clock += 10;
    return registry.apply(new Event(type, clock, clock, sessionId, agentId, payload));
  }

  private SessionView session(String id) {
    return registry.snapshot().sessions().stream().filter(s -> s.sessionId().equals(id)).findFirst().orElse(null);
  }

  @Test
  @DisplayName("session:start opens a session on the first free table and enriches the envelope with team and table")
  void startEnriches() {
    Applied applied = apply("session:start", "s1", "contextPercent", 12);
    assertThat(applied.envelopes()).hasSize(1);
    Envelope start = applied.envelopes().get(0);
    assertThat(start.seq()).isEqualTo(1);
    assertThat(start.payload()).containsEntry("tableIndex", 0).containsEntry("teamKey", session("s1").teamKey());
    assertThat(session("s1").contextPercent()).isEqualTo(12.0);
    assertThat(session("s1").status()).isEqualTo(Status.ACTIVE);
  }

  @Test
  @DisplayName("the first event of an unknown session opens it with a derived session:start before the event")
  void autoOpen() {
    Applied applied = apply("tool:pre", "late", "toolName", "Bash");
    assertThat(applied.envelopes()).extracting(Envelope::type).containsExactly("session:start", "tool:pre");
    assertThat(applied.envelopes()).extracting(Envelope::seq).containsExactly(1L, 2L);
    assertThat(applied.seq()).isEqualTo(2);
    assertThat(applied.envelopes().get(0).payload()).containsEntry("autoOpened", true).containsEntry("tableIndex", 0);
    assertThat(session("late").currentTool()).isEqualTo("Bash");
    assertThat(session("late").toolCalls()).isEqualTo(1);
  }

  @Test
  @DisplayName("a repeated session:start (resume, clear, compact) keeps the same session and table")
  void restartIsSameSession() {
    apply("session:start", "s1");
    apply("session:start", "s2");
    Applied again = apply("session:start", "s1", "source", "resume");
    assertThat(again.envelopes().get(0).payload()).containsEntry("tableIndex", 0).containsEntry("source", "resume");
    assertThat(registry.sessionCount()).isEqualTo(2);
  }

  @Test
  @DisplayName("sessions beyond the tables queue with tableIndex null and take the next table that frees up")
  void overflowAndHandOver() {
    apply("session:start", "a");
    apply("session:start", "b");
    Applied third = apply("session:start", "c");
    assertThat(third.envelopes().get(0).payload()).containsEntry("tableIndex", null);
    apply("session:start", "d");
    assertThat(registry.snapshot().queue()).containsExactly("c", "d");
    assertThat(session("c").tableIndex()).isNull();

    Applied end = apply("session:end", "b");
    assertThat(end.envelopes()).extracting(Envelope::type).containsExactly("session:end", "session:table");
    assertThat(end.envelopes().get(1).payload()).containsEntry("sessionId", "c").containsEntry("tableIndex", 1);
    assertThat(session("c").tableIndex()).isEqualTo(1);
    assertThat(registry.snapshot().queue()).containsExactly("d");

    apply("session:end", "d");
    assertThat(registry.snapshot().queue()).isEmpty();
    assertThat(registry.sessionCount()).isEqualTo(2);
  }

  @Test
  @DisplayName("subagents are added and removed, and go away with their session")
  void agents() {
    apply("subagent:start", "s1", "agentId", "a1", "agentType", "Explore", "description", "find the bug");
    apply("subagent:start", "s1", "agentId", "a2", "agentType", "Plan");
    assertThat(session("s1").agentIds()).containsExactly("a1", "a2");
    assertThat(session("s1").agents().get(0).agentType()).isEqualTo("Explore");
    assertThat(registry.agentCount()).isEqualTo(2);

    apply("tool:pre", "s1", "agentId", "a2", "toolName", "Grep");
    assertThat(session("s1").agents().get(1).currentTool()).isEqualTo("Grep");
    assertThat(session("s1").currentTool()).isNull();

    apply("subagent:stop", "s1", "agentId", "a1");
    assertThat(session("s1").agentIds()).containsExactly("a2");

    apply("session:end", "s1");
    assertThat(registry.agentCount()).isZero();
    assertThat(session("s1")).isNull();
  }

  @Test
  @DisplayName("context:update sets percent and tokens")
  void context() {
    apply("context:update", "s1", "percent", 42.5, "tokens", 85_000, "windowSize", 200_000);
    assertThat(session("s1").contextPercent()).isEqualTo(42.5);
    assertThat(session("s1").tokensUsed()).isEqualTo(85_000);
    assertThat(session("s1").contextWindow()).isEqualTo(200_000);
  }

  @Test
  @DisplayName("status: permission request waits, the next tool result clears it, a stop leaves the session idle")
  void status() {
    apply("tool:pre", "s1", "toolName", "Bash");
    apply("permission:request", "s1", "toolName", "Bash");
    assertThat(session("s1").status()).isEqualTo(Status.WAITING);
    assertThat(session("s1").waitingFor()).isEqualTo(WaitReason.PERMISSION);
    apply("tool:post", "s1", "toolName", "Bash");
    assertThat(session("s1").status()).isEqualTo(Status.ACTIVE);
    assertThat(session("s1").currentTool()).isNull();
    apply("tool:failure", "s1", "toolName", "Bash");
    apply("notification", "s1", "notificationType", "idle_prompt", "message", "Claude is waiting for your input");
    assertThat(session("s1").waitingFor()).isEqualTo(WaitReason.INPUT);
    apply("prompt:submit", "s1", "prompt", "go on");
    assertThat(session("s1").status()).isEqualTo(Status.ACTIVE);
    apply("turn:stop", "s1", "lastMessage", "Done.");
    SessionView view = session("s1");
    assertThat(view.status()).isEqualTo(Status.IDLE);
    assertThat(view.lastMessage()).isEqualTo("Done.");
    assertThat(view.toolCalls()).isEqualTo(1);
    assertThat(view.toolFailures()).isEqualTo(1);
    assertThat(view.prompts()).isEqualTo(1);
  }

  @Test
  @DisplayName("a session silent for the idle timeout is closed with reason idle and frees its table")
  void idleClose() {
    apply("session:start", "old");
    apply("session:start", "busy");
    apply("session:start", "queued");
    clock += IDLE_MS - 15;
    apply("tool:pre", "busy", "toolName", "Read");
    List<Envelope> closed = registry.closeIdle(clock + 10);
    assertThat(closed).extracting(Envelope::type).containsExactly("session:end", "session:table", "session:end");
    assertThat(closed.get(0).payload()).containsEntry("sessionId", "old").containsEntry("reason", "idle");
    assertThat(closed.get(2).payload()).containsEntry("sessionId", "queued");
    assertThat(registry.snapshot().sessions()).extracting(SessionView::sessionId).containsExactly("busy");
    assertThat(registry.closeIdle(clock + 10)).isEmpty();
  }

  @Test
  @DisplayName("global events and session:end of an unknown session get a seq without opening anything")
  void noSession() {
    Applied custom = registry.apply(new Event("deploy:done", 5, 5, null, null, Map.of("env", "prod")));
    Applied end = apply("session:end", "ghost");
    assertThat(custom.seq()).isEqualTo(1);
    assertThat(end.seq()).isEqualTo(2);
    assertThat(registry.sessionCount()).isZero();
  }

  @Test
  @DisplayName("seqs are global, gap-free and increasing across every envelope, derived ones included")
  void seqOrder() {
    List<Envelope> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String id = "s" + (i % 5);
      all.addAll(apply(i % 7 == 6 ? "session:end" : "tool:pre", id, "toolName", "T").envelopes());
    }
    all.addAll(registry.closeIdle(clock + IDLE_MS));
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).seq()).isEqualTo(i + 1);
    }
    assertThat(registry.seq()).isEqualTo(all.size());
  }

  @Test
  @DisplayName("teams come from a stable hash of the session id")
  void stableTeams() {
    SessionRegistry other = new SessionRegistry(8, SessionsConfig.DEFAULT_TEAMS, IDLE_MS);
    for (String id : List.of("a", "b", "0f1e2d3c-aaaa-bbbb-cccc-123456789abc", "ünïcødé")) {
      assertThat(other.teamFor(id)).isEqualTo(registry.teamFor(id));
    }
    assertThat(registry.teamFor("a").key()).isEqualTo(SessionsConfig.DEFAULT_TEAMS.get("a".hashCode() % 8).key());
  }
}
