package dev.hookbus.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicaStoreTest {

  private static JsonObject append(long term, long from, long... entryTerms) {
    JsonArray entries = new JsonArray();
    for (int i = 0; i < entryTerms.length; i++) {
      entries.add(new JsonObject().put("term", entryTerms[i]).put("op", new JsonObject().put("i", from + i)));
    }
    return new JsonObject().put("op", "append").put("term", term).put("from", from).put("entries", entries);
  }

  @Test
  @DisplayName("a new leader resending the log from 1 keeps matching entries: a partial transfer loses nothing")
  void matchingEntriesAreKept() {
    ReplicaStore store = new ReplicaStore(Long.MAX_VALUE);
    assertThat(store.handle(append(1, 1, 1, 1, 1, 1)).getBoolean("ok")).isTrue();
    store.handle(append(2, 1, 1, 1));
    assertThat(store.status().getLong("size")).isEqualTo(4);
  }

  @Test
  @DisplayName("a conflicting entry is dropped with everything after it")
  void conflictsAreReplaced() {
    ReplicaStore store = new ReplicaStore(Long.MAX_VALUE);
    store.handle(append(1, 1, 1, 1, 1, 1));
    store.handle(append(2, 1, 1, 1, 2));
    assertThat(store.status()).isEqualTo(new JsonObject().put("term", 2L).put("size", 3).put("lastTerm", 2L));
  }

  @Test
  @DisplayName("an older term and a gap are refused with the follower's size")
  void staleTermAndGapsAreRefused() {
    ReplicaStore store = new ReplicaStore(Long.MAX_VALUE);
    store.handle(append(3, 1, 3));
    assertThat(store.handle(append(2, 2, 2)).getBoolean("ok")).isFalse();
    JsonObject gap = store.handle(append(3, 5, 3));
    assertThat(gap.getBoolean("ok")).isFalse();
    assertThat(gap.getInteger("size")).isEqualTo(1);
  }

  @Test
  @DisplayName("fetch pages through the log")
  void fetchPages() {
    ReplicaStore store = new ReplicaStore(Long.MAX_VALUE);
    store.handle(append(1, 1, 1, 1, 1));
    JsonObject page = store.handle(new JsonObject().put("op", "fetch").put("from", 2).put("max", 5));
    assertThat(page.getJsonArray("entries")).hasSize(2);
    assertThat(store.isBehind(new JsonObject().put("lastTerm", 1L).put("size", 4))).isTrue();
    assertThat(store.isBehind(new JsonObject().put("lastTerm", 0L).put("size", 9))).isFalse();
  }

  @Test
  @DisplayName("past its byte bound a follower refuses appends (full), keeps what it holds, and takes more once replaced")
  void boundedByBytes() {
    ReplicaStore store = new ReplicaStore(1_000);
    JsonObject record = new JsonObject().put("first", 1).put("last", 1).put("time", 0).put("body", "x".repeat(300));
    JsonArray entries = new JsonArray();
    for (int i = 0; i < 5; i++) {
      entries.add(new JsonObject().put("term", 1L).put("records", new JsonArray().add(record)));
    }
    JsonObject refused = store.handle(new JsonObject().put("op", "append").put("term", 1L).put("from", 1L)
        .put("entries", entries));
    assertThat(refused.getBoolean("ok")).isFalse();
    assertThat(refused.getBoolean("full")).isTrue();
    assertThat(refused.getInteger("size")).isEqualTo(2);
    assertThat(store.bytes()).isLessThanOrEqualTo(1_000);
    store.replace(java.util.List.of());
    assertThat(store.bytes()).isZero();
  }
}
