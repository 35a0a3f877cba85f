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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The usage rules on the registry alone: deltas, resets, coalesced updates, checkpoint and replay. */
class UsageStateTest {
  private final SessionsConfig config = AppConfig.from(new JsonObject()
      .put("sessions", new JsonObject().put("tables", 2).put("idleTimeoutMs", 60_000))).sessions();
  private final List<Transition> kept = new ArrayList<>();
  private long clock = 1_000_000;

  private SessionRegistry registry() {
    return new SessionRegistry(config.tables(), config.teams(), config.idleTimeoutMs());
  }

  private static Map<String, Object> point(String metric, String type, String model, double value, long startMs) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("metric", metric);
    p.put("type", type);
    p.put("model", model);
    p.put("value", value);
    p.put("temporality", "cumulative");
    p.put("startMs", startMs);
    return p;
  }

  private Applied metrics(SessionRegistry registry, String session, Map<String, Object> point) {
    clock += 10;
    Applied applied = registry.apply(new Event("usage:metrics", clock, clock, session, null,
        Map.of("sessionId", session, "points", List.of(point))));
    kept.add(Transition.accepted(applied, clock));
    return applied;
  }

  private static double delta(Applied applied) {
    Envelope last = applied.envelopes().get(applied.envelopes().size() - 1);
    return ((Number) ((List<Map<String, Object>>) last.payload().get("points")).get(0).get("delta")).doubleValue();
  }

  @Test
  @DisplayName("cumulative points add what they grew; a drop or a new start time is a reset; the envelope says so")
  void cumulativeDeltas() {
    SessionRegistry registry = registry();
    assertThat(delta(metrics(registry, "s", point("tokens", "input", "m", 100, 1)))).isEqualTo(100);
    assertThat(delta(metrics(registry, "s", point("tokens", "input", "m", 250, 1)))).isEqualTo(150);
    assertThat(delta(metrics(registry, "s", point("tokens", "output", "m", 5, 1)))).isEqualTo(5);
    assertThat(delta(metrics(registry, "s", point("tokens", "input", "m", 40, 1)))).isEqualTo(40);
    assertThat(delta(metrics(registry, "s", point("tokens", "input", "m", 45, 2)))).isEqualTo(45);
    JsonObject usage = JsonObject.mapFrom(registry.snapshot().sessions().get(0).usage());
    assertThat(usage.getJsonObject("tokens").getLong("input")).isEqualTo(100 + 150 + 40 + 45);
    assertThat(usage.getJsonObject("tokens").getLong("output")).isEqualTo(5);
  }

  @Test
  @DisplayName("usage:update comes once per changed session per call, then not until the usage changes again")
  void coalescedUpdates() {
    SessionRegistry registry = registry();
    metrics(registry, "s", point("cost", null, "m", 0.1, 1));
    metrics(registry, "s", point("cost", null, "m", 0.2, 1));
    metrics(registry, "t", point("cost", null, "m", 0.3, 1));
    List<Envelope> updates = registry.usageUpdates(clock);
    assertThat(updates).extracting(Envelope::sessionId).containsExactly("s", "t");
    assertThat((Double) updates.get(0).payload().get("costUsd")).isCloseTo(0.2, within(1e-9));
    assertThat(registry.usageUpdates(clock + 1000)).isEmpty();
  }

  @Test
  @DisplayName("replayed from its records or loaded from a checkpoint, the registry continues every series alike")
  void replayAndCheckpoint() {
    SessionRegistry live = registry();
    metrics(live, "s", point("cost", null, "m", 0.5, 1));
    metrics(live, "s", point("cost", null, "m", 0.7, 1));
    Transition updates = Transition.usage(live.usageUpdates(clock), clock, null);
    kept.add(updates);
    Replayer replayer = new Replayer(config, new FieldCutter(8192), 0);
    kept.forEach(t -> replayer.offer(t.record()));
    SessionRegistry replayed = replayer.finish(live.seq()).registry();
    SessionRegistry loaded = RegistryCheckpoint.load(
        new JsonObject(RegistryCheckpoint.save(live, config, "e").encode()), config, "e");

    for (SessionRegistry registry : List.of(replayed, loaded)) {
      assertThat(EventJson.snapshot(registry.snapshot())).isEqualTo(EventJson.snapshot(live.snapshot()));
      assertThat(registry.seq()).isEqualTo(live.seq());
    }
    long at = clock;
    double fromLive = delta(metrics(live, "s", point("cost", null, "m", 1.0, 1)));
    clock = at;
    assertThat(delta(metrics(replayed, "s", point("cost", null, "m", 1.0, 1)))).isEqualTo(fromLive);
    clock = at;
    assertThat(delta(metrics(loaded, "s", point("cost", null, "m", 1.0, 1)))).isEqualTo(fromLive);
    assertThat(fromLive).isCloseTo(0.3, within(1e-9));
  }
}
