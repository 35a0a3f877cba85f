package dev.hookbus.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A follower's copy of the leader's log ({@code {term, op}} entries), kept in memory. A new leader sends its whole
 * log from index 1, then what each follower lacks. As in Raft, an entry is identified by its index and the term it
 * was written in (one leader per term, and a leader never rewrites its log): a matching entry is kept, a
 * conflicting one is dropped with everything after it, so the new leader's log wins without a complete copy ever
 * being thrown away mid-transfer. Appends from an older term (a deposed leader) are refused. So is an append that
 * would take the copy past {@code maxBytes} of records ({@code full:true}): the leader then does not count this
 * follower as holding it, so no hook is acknowledged on the strength of a copy that is not there. One event loop only.
 */
final class ReplicaStore {
  private final List<JsonObject> entries = new ArrayList<>();
  private final List<Long> sizes = new ArrayList<>();
  private final long maxBytes;
  private long bytes;
  private long term;

  ReplicaStore(long maxBytes) {
    this.maxBytes = maxBytes;
  }

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
    int index = (int) from - 1;
    for (Object item : request.getJsonArray("entries")) {
      JsonObject entry = (JsonObject) item;
      if (index < entries.size() && !entries.get(index).getLong("term").equals(entry.getLong("term"))) {
        truncate(index);
      }
      if (index >= entries.size()) {
        long size = bytes(entry);
        if (bytes + size > maxBytes) {
          return status().put("ok", false).put("full", true);
        }
        entries.add(entry);
        sizes.add(size);
        bytes += size;
      }
      index++;
    }
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
    truncate(0);
    for (JsonObject entry : newEntries) {
      long size = bytes(entry);
      entries.add(entry);
      sizes.add(size);
      bytes += size;
    }
  }

  /** Record bytes held (the bodies, as they travel), for the bound. */
  long bytes() {
    return bytes;
  }

  private void truncate(int index) {
    for (int i = index; i < sizes.size(); i++) {
      bytes -= sizes.get(i);
    }
    entries.subList(index, entries.size()).clear();
    sizes.subList(index, sizes.size()).clear();
  }

  private static long bytes(JsonObject entry) {
    long total = 64;
    JsonArray records = entry.getJsonArray("records");
    if (records == null) {
      return total + entry.encode().length();
    }
    for (Object record : records) {
      Object body = ((JsonObject) record).getValue("body");
      total += 64 + (body instanceof String s ? s.length() : body instanceof byte[] b ? b.length : 0);
    }
    return total;
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
