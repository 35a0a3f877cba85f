package dev.hookbus.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A follower's copy of the leader's log ({@code {term, op}} entries), kept in memory. The leader sends what this
 * copy lacks; an append from index {@code from} replaces everything from there on, so after a failover the new
 * leader's log wins. Appends from an older term (a deposed leader) are refused. Not thread-safe: one event loop.
 */
final class ReplicaStore {
  private final List<JsonObject> entries = new ArrayList<>();
  private long term;

  /** Handles one request of {@link dev.hookbus.bus.Addresses#REPLICA_PREFIX}; returns the reply. */
  JsonObject handle(JsonObject request) {
    return switch (request.getString("op", "")) {
      case "append" -> append(request);
      case "status" -> status();
      case "fetch" -> fetch(request.getLong("from"), request.getInteger("max"));
      default -> throw new IllegalArgumentException("unknown replica op " + request.getString("op"));
    };
  }

  private JsonObject append(JsonObject request) {
    long requestTerm = request.getLong("term");
    long from = request.getLong("from");
    if (requestTerm < term || from > entries.size() + 1) {
      return status().put("ok", false);
    }
    term = requestTerm;
    entries.subList((int) from - 1, entries.size()).clear();
    request.getJsonArray("entries").forEach(entry -> entries.add((JsonObject) entry));
    return status().put("ok", true);
  }

  JsonObject status() {
    long lastTerm = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).getLong("term");
    return new JsonObject().put("term", term).put("size", entries.size()).put("lastTerm", lastTerm);
  }

  private JsonObject fetch(long from, int max) {
    int start = (int) Math.min(from - 1, entries.size());
    int end = (int) Math.min((long) start + max, entries.size());
    return new JsonObject().put("entries", new JsonArray(new ArrayList<>(entries.subList(start, end))));
  }

  /** Becoming leader in {@code newTerm}: refuse the old leader from now on. */
  void enterTerm(long newTerm) {
    term = Math.max(term, newTerm);
  }

  void replace(List<JsonObject> newEntries) {
    entries.clear();
    entries.addAll(newEntries);
  }

  List<JsonObject> entries() {
    return List.copyOf(entries);
  }

  /** True when a log with this status holds more than ours: a later last term, or the same and longer. */
  boolean isBehind(JsonObject other) {
    JsonObject mine = status();
    long theirLast = other.getLong("lastTerm");
    long myLast = mine.getLong("lastTerm");
    return theirLast > myLast || (theirLast == myLast && other.getLong("size") > mine.getLong("size"));
  }
}
