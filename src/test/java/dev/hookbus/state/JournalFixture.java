package dev.hookbus.state;

import dev.hookbus.claude.ClaudeHookMapper;
import dev.hookbus.config.SessionsConfig;
import dev.hookbus.config.StoreConfig;
import dev.hookbus.model.Event;
import dev.hookbus.store.Checkpoint;
import dev.hookbus.store.Disk;
import dev.hookbus.store.Journal;
import dev.hookbus.store.JournalRecord;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a journal as a long-running hookbus would have left it, without running one: the Claude Code hook bodies of
 * {@code claude/corpus.jsonl} cycled over {@code sessions} sessions (every 100th with a 10 KB tool response), each
 * applied to a registry and kept as the state actor keeps it, and a checkpoint at a given seq. For the start-up
 * benchmark and tests.
 */
public final class JournalFixture {
  private JournalFixture() {
  }

  /** @return the last seq written */
  public static long write(StoreConfig store, SessionsConfig config, long events, int sessions, long checkpointAt)
      throws IOException {
    List<JsonObject> corpus = corpus();
    Journal journal = Journal.open(store.withFsync("never"), Disk.REAL);
    SessionRegistry registry = new SessionRegistry(config.tables(), config.teams(), config.idleTimeoutMs());
    String bigResponse = "x".repeat(10_000);
    List<JournalRecord> batch = new ArrayList<>();
    long now = System.currentTimeMillis();
    long n = 0;
    while (registry.seq() < events) {
      JsonObject body = corpus.get((int) (n % corpus.size())).copy()
          .put("session_id", "bench-session-" + (n % sessions));
      if (n % 100 == 99) {
        body.put("tool_response", new JsonObject().put("content", bigResponse));
      }
      n++;
      for (Event event : ClaudeHookMapper.map(body, now)) {
        batch.add(Transition.accepted(registry.apply(event), now).record());
      }
      boolean checkpointDue = registry.seq() >= checkpointAt && journal.checkpoint().isEmpty() && checkpointAt > 0;
      if (batch.size() >= 1000 || checkpointDue || registry.seq() >= events) {
        journal.append(batch).join();
        batch.clear();
      }
      if (checkpointDue) {
        byte[] saved = RegistryCheckpoint.save(registry, config, journal.epoch()).toBuffer().getBytes();
        journal.writeCheckpoint(new Checkpoint(registry.seq(), saved));
      }
    }
    journal.close().join();
    return registry.seq();
  }

  private static List<JsonObject> corpus() throws IOException {
    try (InputStream in = JournalFixture.class.getResourceAsStream("/claude/corpus.jsonl")) {
      List<JsonObject> bodies = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && new JsonObject(line).containsKey("hook_event_name")) {
          bodies.add(new JsonObject(line)); // the corpus also holds test markers and status-line bodies
        }
      }
      return bodies;
    }
  }
}
