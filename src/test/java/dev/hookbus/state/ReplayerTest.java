package dev.hookbus.state;

import dev.hookbus.config.AppConfig;
import dev.hookbus.config.SessionsConfig;
import dev.hookbus.model.Event;
import dev.hookbus.model.EventJson;
import dev.hookbus.store.Disk;
import dev.hookbus.store.Journal;
import dev.hookbus.store.JournalRecord;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayerTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("replay rebuilds the exact registry, derived events (auto start, table handover, idle end) included")
  void exactReplay() {
    AppConfig config = AppConfig.from(new JsonObject().put("sessions", new JsonObject().put("tables", 1)))
        .withStorePath(dir.toString());
    SessionsConfig s = config.sessions();
    SessionRegistry live = new SessionRegistry(s.tables(), s.teams(), s.idleTimeoutMs());
    List<JournalRecord> records = new ArrayList<>();
    long t = 1_000_000;
    for (String id : List.of("a", "b", "c")) {
      records.add(Transition.accepted(live.apply(event("tool:pre", id, t++)), t).record());
    }
    records.add(Transition.accepted(live.apply(event("session:end", "a", t++)), t).record());
    records.add(Transition.accepted(live.apply(event("subagent:start", "b", t++)), t).record());
    long later = t + s.idleTimeoutMs() + 1;
    records.add(Transition.idle(live.closeIdle(later), later).record());
    records.add(Transition.accepted(live.apply(event("prompt:submit", "d", later + 1)), later + 1).record());
    Journal journal = Journal.open(config.store(), Disk.REAL);
    journal.append(records).join();

    Restored same = replay(journal, s);
    assertThat(EventJson.snapshot(same.registry().snapshot())).isEqualTo(EventJson.snapshot(live.snapshot()));
    assertThat(same.history().size()).isEqualTo((int) live.seq());

    SessionsConfig wider = AppConfig.from(new JsonObject().put("sessions", new JsonObject().put("tables", 8)))
        .sessions();
    Restored changed = replay(journal, wider);
    assertThat(changed.registry().seq()).isEqualTo(live.seq());
    assertThat(changed.history().since(0).orElseThrow()).isEqualTo(same.history().since(0).orElseThrow());
    journal.close().join();
  }

  @Test
  @DisplayName("from a checkpoint, replaying only the records after it gives the registry a whole replay gives; "
      + "the history window starts at the checkpoint")
  void fromCheckpoint() {
    AppConfig config = AppConfig.from(new JsonObject().put("sessions", new JsonObject().put("tables", 1)))
        .withStorePath(dir.toString());
    SessionsConfig s = config.sessions();
    SessionRegistry live = new SessionRegistry(s.tables(), s.teams(), s.idleTimeoutMs());
    Journal journal = Journal.open(config.store(), Disk.REAL);
    long t = 1_000_000;
    JsonObject checkpoint = null;
    for (int i = 0; i < 40; i++) {
      String type = i % 7 == 6 ? "session:end" : "tool:pre";
      journal.append(List.of(Transition.accepted(live.apply(event(type, "s" + (i % 3), t++)), t).record())).join();
      if (i == 25) {
        checkpoint = RegistryCheckpoint.save(live, s, journal.epoch());
      }
    }
    long checkpointSeq = checkpoint.getLong("seq");

    Replayer replayer = new Replayer(s, new FieldCutter(8192), RegistryCheckpoint.load(checkpoint, s, journal.epoch()));
    assertThat(replayer.readFrom()).isEqualTo(checkpointSeq + 1);
    journal.read(replayer.readFrom(), replayer::offer);
    Restored restored = replayer.finish(journal.durableSeq());

    assertThat(EventJson.snapshot(restored.registry().snapshot())).isEqualTo(EventJson.snapshot(live.snapshot()));
    assertThat(restored.history().since(checkpointSeq - 1)).isEmpty();
    assertThat(restored.history().since(checkpointSeq).orElseThrow()).hasSize((int) (live.seq() - checkpointSeq));
    journal.close().join();
  }

  private static Restored replay(Journal journal, SessionsConfig config) {
    Replayer replayer = new Replayer(config, new FieldCutter(8192), journal.durableSeq());
    journal.read(0, replayer::offer);
    return replayer.finish(journal.durableSeq());
  }

  private static Event event(String type, String sessionId, long at) {
    Map<String, Object> payload = type.equals("subagent:start")
        ? Map.of("sessionId", sessionId, "agentId", "agent-1") : Map.of("sessionId", sessionId);
    return new Event(type, at, at, sessionId, type.equals("subagent:start") ? "agent-1" : null, payload);
  }
}
