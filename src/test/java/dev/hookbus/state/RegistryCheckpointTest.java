package dev.hookbus.state;

import dev.hookbus.config.AppConfig;
import dev.hookbus.config.SessionsConfig;
import dev.hookbus.model.Envelope;
import dev.hookbus.model.Event;
import dev.hookbus.model.EventJson;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryCheckpointTest {
  private static final String EPOCH = "epoch-1";
  private final SessionsConfig config = AppConfig.from(new JsonObject()
      .put("sessions", new JsonObject().put("tables", 2).put("idleTimeoutMs", 60_000))).sessions();
  private long clock = 1_000_000;

  @Test
  @DisplayName("a registry loaded from its checkpoint shows the same snapshot and answers every later event alike")
  void roundTrip() {
    SessionRegistry live = registry();
    apply(live, "session:start", "a", "contextPercent", 12, "cwd", "/w", "model", "opus");
    apply(live, "subagent:start", "a", "agentId", "ag-1", "agentType", "Explore", "description", "look");
    apply(live, "tool:pre", "a", "agentId", "ag-1", "toolName", "Grep");
    apply(live, "permission:request", "b", "toolName", "Bash");
    apply(live, "context:update", "b", "percent", 55.5, "tokens", 1234, "windowSize", 200_000, "costUsd", 0.42);
    apply(live, "tool:pre", "c", "toolName", "Read");
    apply(live, "prompt:submit", "d");
    apply(live, "notification", "d", "notificationType", "idle_prompt", "message", "waiting");
    apply(live, "turn:stop", "a", "lastMessage", "done");

    JsonObject saved = RegistryCheckpoint.save(live, config, EPOCH);
    SessionRegistry loaded = RegistryCheckpoint.load(new JsonObject(saved.encode()), config, EPOCH);

    assertThat(EventJson.snapshot(loaded.snapshot())).isEqualTo(EventJson.snapshot(live.snapshot()));
    assertThat(loaded.agentCount()).isEqualTo(live.agentCount());
    long clockAtSave = clock;
    List<JsonObject> fromLive = later(live);
    clock = clockAtSave;
    List<JsonObject> fromLoaded = later(loaded);
    assertThat(fromLoaded).isEqualTo(fromLive);
    assertThat(EventJson.snapshot(loaded.snapshot())).isEqualTo(EventJson.snapshot(live.snapshot()));
  }

  @Test
  @DisplayName("a checkpoint of another epoch or another seating is not used")
  void refusedWhenItDoesNotFit() {
    SessionRegistry live = registry();
    apply(live, "tool:pre", "a", "toolName", "Read");
    JsonObject saved = RegistryCheckpoint.save(live, config, EPOCH);
    SessionsConfig moreTables = AppConfig.from(new JsonObject()
        .put("sessions", new JsonObject().put("tables", 3).put("idleTimeoutMs", 60_000))).sessions();

    assertThat(RegistryCheckpoint.load(saved, config, "another-epoch")).isNull();
    assertThat(RegistryCheckpoint.load(saved, moreTables, EPOCH)).isNull();
    assertThat(RegistryCheckpoint.load(saved.copy().put("v", 99), config, EPOCH)).isNull();
    assertThat(RegistryCheckpoint.load(saved, config, EPOCH)).isNotNull();
  }

  /** What follows the checkpoint: hand-over of a table to the queue, agents stopping, an idle close. */
  private List<JsonObject> later(SessionRegistry registry) {
    List<JsonObject> out = new ArrayList<>();
    out.addAll(json(apply(registry, "session:end", "a")));
    out.addAll(json(apply(registry, "subagent:stop", "c", "agentId", "ag-1")));
    out.addAll(json(apply(registry, "tool:post", "b", "toolName", "Bash")));
    out.addAll(json(apply(registry, "session:end", "b")));
    out.addAll(json(registry.closeIdle(clock + 120_000)));
    return out;
  }

  private SessionRegistry registry() {
    return new SessionRegistry(config.tables(), config.teams(), config.idleTimeoutMs());
  }

  private List<Envelope> apply(SessionRegistry registry, String type, String sessionId, Object... keyValues) {
    Map<String, Object> payload = new HashMap<>();
    payload.put("sessionId", sessionId);
    for (int i = 0; i < keyValues.length; i += 2) {
      payload.put((String) keyValues[i], keyValues[i + 1]);
    }
    clock += 10;
    return registry.apply(new Event(type, clock, clock, sessionId, (String) payload.get("agentId"), payload))
        .envelopes();
  }

  private static List<JsonObject> json(List<Envelope> envelopes) {
    return envelopes.stream().map(EventJson::envelope).toList();
  }
}
