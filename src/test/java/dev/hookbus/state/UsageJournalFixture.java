package dev.hookbus.state;

import dev.hookbus.config.SessionsConfig;
import dev.hookbus.config.StoreConfig;
import dev.hookbus.model.Event;
import dev.hookbus.store.Disk;
import dev.hookbus.store.Journal;
import dev.hookbus.store.JournalRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes a journal of usage as Claude Code's export leaves it, received over days, without running hookbus: among
 * hook events ({@code tool:pre} with a 400-byte command), {@code usage:api-request} and {@code usage:metrics} (delta cost and token points) of
 * six sessions and three models (one unnamed), each applied to a registry and kept as the state actor keeps it.
 * Sessions 0-1 send only api_request events, 2-3 both, 4-5 only metrics. No checkpoint: a start replays it all.
 */
public final class UsageJournalFixture {
  private static final String[] MODELS = {"claude-opus-4-5", "claude-haiku-4-5", null};
  /** About the size of a real Bash call's input. */
  private static final String COMMAND = "cd /work/project && mvn -B -q -Dtest=SomeTest verify 2>&1 | tail -40 # "
      + "x".repeat(300);

  private UsageJournalFixture() {
  }

  /**
   * @param events   how many events (seqs, about: one event may derive a few envelopes)
   * @param startMs  receivedAt of the first; the others follow evenly over {@code spanMs}
   * @param usageShare one event in this many is a usage event (1: all of them)
   * @return the last seq written
   */
  public static long write(StoreConfig store, SessionsConfig config, long events, long startMs, long spanMs,
                           int usageShare) {
    Journal journal = Journal.open(store.withFsync("never"), Disk.REAL);
    SessionRegistry registry = new SessionRegistry(config.tables(), config.teams(), config.idleTimeoutMs());
    Random random = new Random(42);
    List<JournalRecord> batch = new ArrayList<>();
    for (long n = 0; registry.seq() < events; n++) {
      long at = startMs + n * spanMs / events;
      int session = random.nextInt(6);
      Event event = n % usageShare == 0 ? usage(random, "fx-" + session, session, at)
          : new Event("tool:pre", at, at, "fx-" + session, null, Map.of("sessionId", "fx-" + session,
          "toolName", "Bash", "toolInput", Map.of("command", COMMAND)));
      batch.add(Transition.accepted(registry.apply(event), at).record());
      if (batch.size() >= 500 || registry.seq() >= events) {
        journal.append(batch).join();
        batch.clear();
      }
    }
    journal.close().join();
    return registry.seq();
  }

  private static Event usage(Random random, String sessionId, int session, long at) {
    String model = MODELS[random.nextInt(MODELS.length)];
    boolean metrics = session >= 4 || session >= 2 && random.nextBoolean();
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("sessionId", sessionId);
    if (metrics) {
      List<Object> points = new ArrayList<>();
      points.add(point("cost", null, model, random.nextInt(1000) / 997.0));
      points.add(point("tokens", "input", model, random.nextInt(5000)));
      points.add(point("tokens", random.nextBoolean() ? "output" : "cacheRead", model, random.nextInt(900)));
      payload.put("points", points);
      return new Event("usage:metrics", at, at, sessionId, null, payload);
    }
    if (model != null) {
      payload.put("model", model);
    }
    payload.put("costUsd", random.nextInt(1000) / 1009.0);
    payload.put("inputTokens", (long) random.nextInt(4000));
    payload.put("outputTokens", (long) random.nextInt(700));
    payload.put("cacheReadTokens", (long) random.nextInt(20_000));
    payload.put("cacheCreationTokens", (long) random.nextInt(300));
    return new Event("usage:api-request", at, at, sessionId, null, payload);
  }

  private static Map<String, Object> point(String metric, String type, String model, double value) {
    Map<String, Object> point = new LinkedHashMap<>();
    point.put("metric", metric);
    if (type != null) {
      point.put("type", type);
    }
    if (model != null) {
      point.put("model", model);
    }
    point.put("value", value);
    point.put("temporality", "delta");
    return point;
  }
}
