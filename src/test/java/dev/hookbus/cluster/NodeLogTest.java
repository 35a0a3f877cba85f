package dev.hookbus.cluster;

import dev.hookbus.config.AppConfig;
import dev.hookbus.config.StoreConfig;
import dev.hookbus.store.JournalRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** A node's copy of the log on its own journal, driven through the replica protocol as a leader would. */
class NodeLogTest {
  @TempDir
  Path dir;

  private StoreConfig store() {
    return AppConfig.defaults().store().withPath(dir.toString());
  }

  private static JournalRecord record(long seq, long term, String text) {
    byte[] body = new JsonObject().put("k", "in").put("in", seq)
        .put("e", new JsonArray().add(new JsonObject().put("seq", seq).put("text", text))).toBuffer().getBytes();
    return NodeLog.stamped(new JournalRecord(seq, seq, 0, body), term);
  }

  private static JsonObject append(long term, String leader, long prevSeq, long prevTerm, JournalRecord... records) {
    return new JsonObject().put("op", "append").put("term", term).put("leader", leader).put("prevSeq", prevSeq)
        .put("prevTerm", prevTerm).put("records", NodeLog.toJson(List.of(records)));
  }

  @Test
  @DisplayName("a term is stamped on the record's JSON body and read back; the body stays valid JSON")
  void stampedTerm() {
    JournalRecord stamped = record(5, 42, "x");
    assertThat(NodeLog.termOf(stamped)).isEqualTo(42);
    JsonObject body = new JsonObject(new String(stamped.body(), StandardCharsets.UTF_8));
    assertThat(body.getLong("t")).isEqualTo(42);
    assertThat(body.getJsonArray("e").getJsonObject(0).getLong("seq")).isEqualTo(5);
  }

  @Test
  @DisplayName("a follower refuses a lower term, drops an uncommitted tail that conflicts, and keeps it all across a restart")
  void conflictingTailIsReplacedAndSurvivesRestart() {
    NodeLog log = NodeLog.open(store(), 1 << 20);
    Follower follower = new Follower(log, term -> { });
    assertThat(follower.handle(append(1, "a", 0, 0, record(1, 1, "a1"), record(2, 1, "a2"), record(3, 1, "a3")))
        .getBoolean("ok")).isTrue();
    // term 2's leader never had seq 3: it sends its own seq 3 after seq 2
    JsonObject mismatch = follower.handle(append(2, "b", 3, 2, record(4, 2, "b4")));
    assertThat(mismatch.getBoolean("ok")).isFalse();
    long agreed = NodeLog.agreement(new TreeMap<>(java.util.Map.of(1L, 1L, 3L, 2L)), 3,
        NodeLog.runsFrom(mismatch.getJsonArray("runs")), mismatch.getLong("lastSeq"));
    assertThat(agreed).isEqualTo(2);
    assertThat(follower.handle(append(2, "b", 2, 1, record(3, 2, "b3"))).getLong("match")).isEqualTo(3);
    assertThat(follower.handle(append(1, "a", 3, 1, record(4, 1, "a4"))).getBoolean("stale")).isTrue();
    log.journal().close().join();

    NodeLog reopened = NodeLog.open(store(), 1 << 20);
    assertThat(reopened.lastSeq()).isEqualTo(3);
    assertThat(reopened.lastTerm()).isEqualTo(2);
    assertThat(reopened.term()).isEqualTo(2);
    List<String> texts = new ArrayList<>();
    reopened.journal().read(1, r -> {
      texts.add(new JsonObject(new String(r.body(), StandardCharsets.UTF_8)).getJsonArray("e").getJsonObject(0)
          .getString("text"));
      return true;
    });
    assertThat(texts).containsExactly("a1", "a2", "b3");
    assertThat(reopened.accept(1, "a")).isFalse();
    assertThat(reopened.accept(2, "c")).as("one leader per term").isFalse();
    reopened.journal().close().join();
  }

  @Test
  @DisplayName("the in-memory tail stays within its byte bound; older records are read from the journal")
  void boundedTail() {
    NodeLog log = NodeLog.open(store(), 2_000);
    for (long seq = 1; seq <= 100; seq++) {
      log.append(List.of(record(seq, 1, "x".repeat(100)))).join();
    }
    assertThat(log.tailBytes()).isLessThanOrEqualTo(2_000);
    List<JournalRecord> old = log.after(0, 10);
    assertThat(old).extracting(JournalRecord::firstSeq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(log.after(95, 10)).extracting(JournalRecord::firstSeq).containsExactly(96L, 97L, 98L, 99L, 100L);
    log.journal().close().join();
  }
}
