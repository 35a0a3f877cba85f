package dev.hookbus.claude;

import dev.hookbus.bus.Refusal;
import dev.hookbus.model.Event;
import dev.hookbus.model.EventTypes;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatusLineMapperTest {

  @Test
  @DisplayName("the status-line JSON becomes context:update with percent, tokens, window, cost and model")
  void mapsStatusLine() {
    JsonObject body = new JsonObject("""
        {"session_id":"s-1","cwd":"/w","model":{"id":"claude-opus-4-1","display_name":"Opus"},
         "workspace":{"current_dir":"/w/sub","project_dir":"/w"},
         "cost":{"total_cost_usd":0.42,"total_duration_ms":1000},
         "context_window":{"total_input_tokens":15234,"total_output_tokens":4521,"context_window_size":200000,
           "used_percentage":8.5,"remaining_percentage":91.5,
           "current_usage":{"input_tokens":8500,"output_tokens":1200,"cache_creation_input_tokens":5000,
             "cache_read_input_tokens":2000}}}""");
    Event event = StatusLineMapper.map(body, 5);
    assertThat(event.type()).isEqualTo(EventTypes.CONTEXT_UPDATE);
    assertThat(event.sessionId()).isEqualTo("s-1");
    assertThat(event.payload()).containsEntry("percent", 8.5).containsEntry("tokens", 15500L)
        .containsEntry("windowSize", 200000L).containsEntry("costUsd", 0.42).containsEntry("model", "claude-opus-4-1").containsEntry("modelName", "Opus")
        .containsEntry("cwd", "/w/sub");
  }

  @Test
  @DisplayName("early in a session (no usage yet) it sends what it has and no percent")
  void earlySession() {
    Event event = StatusLineMapper.map(new JsonObject("""
        {"session_id":"s-2","context_window":{"context_window_size":200000,"used_percentage":null,
         "current_usage":null}}"""), 5);
    assertThat(event.payload()).doesNotContainKeys("percent", "tokens").containsEntry("windowSize", 200000L);
  }

  @Test
  @DisplayName("no session_id: refused")
  void needsSession() {
    assertThatThrownBy(() -> StatusLineMapper.map(new JsonObject(), 1)).isInstanceOf(Refusal.class)
        .hasMessageContaining("session_id");
  }
}
