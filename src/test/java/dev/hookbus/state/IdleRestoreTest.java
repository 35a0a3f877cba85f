package dev.hookbus.state;

import dev.hookbus.config.AppConfig;
import dev.hookbus.config.SessionsConfig;
import dev.hookbus.model.Event;
import dev.hookbus.store.Disk;
import dev.hookbus.store.Journal;
import dev.hookbus.store.JournalRecord;
import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class IdleRestoreTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("sessions of a store restored long after are closed as idle, not resurrected as active")
  void idleAfterLongDowntime(Vertx vertx) {
    TestServer.Options options = TestServer.options().store(dir);
    AppConfig config = options.appConfig();
    long longAgo = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(5);
    writeJournal(config, longAgo);

    TestServer hub = options.start(vertx);
    JsonObject sync = hub.sync();
    assertThat(sync.getJsonArray("sessions")).isEmpty();
    assertThat(sync.getLong("seq")).isEqualTo(6);
    JsonArray ends = hub.get("/api/events?type=session:end").bodyAsJsonObject().getJsonArray("events");
    assertThat(ends).hasSize(2);
    for (int i = 0; i < ends.size(); i++) {
      assertThat(ends.getJsonObject(i).getJsonObject("payload").getString("reason")).isEqualTo("idle");
      assertThat(ends.getJsonObject(i).getLong("receivedAt")).isGreaterThan(longAgo);
    }
    hub.stop();
  }

  /** What a hookbus that stopped {@code at} would have left: two open sessions, one with a running subagent. */
  private static void writeJournal(AppConfig config, long at) {
    SessionsConfig s = config.sessions();
    SessionRegistry registry = new SessionRegistry(s.tables(), s.teams(), s.idleTimeoutMs());
    List<JournalRecord> records = new ArrayList<>();
    records.add(Transition.accepted(registry.apply(new Event("session:start", at, at, "old-1", null,
        Map.of("sessionId", "old-1"))), at).record());
    records.add(Transition.accepted(registry.apply(new Event("subagent:start", at, at, "old-1", "a1",
        Map.of("sessionId", "old-1", "agentId", "a1"))), at).record());
    records.add(Transition.accepted(registry.apply(new Event("tool:pre", at, at, "old-2", null,
        Map.of("sessionId", "old-2", "toolName", "Bash"))), at).record());
    Journal journal = Journal.open(config.store(), Disk.REAL);
    journal.append(records).join();
    journal.close().join();
  }
}
