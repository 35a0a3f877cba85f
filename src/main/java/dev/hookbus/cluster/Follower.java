package dev.hookbus.cluster;

import dev.hookbus.store.JournalRecord;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * The replica side of a node ({@code internal.replica.<nodeId>}): votes for a candidate's term, appends what the
 * leader of the highest term sends, and lets a new leader read its log. An append answers only once the records
 * are on this node's disk, so a leader that counts the answer counts a durable copy. Anything from a term below
 * the highest seen is refused ({@code stale}), which is what fences a deposed leader out: once a new leader has
 * won a majority, the old one cannot find a majority to acknowledge anything. Blocking: called on a worker, one
 * request at a time.
 */
final class Follower {
  static final int FETCH_MAX = 256;

  private final NodeLog log;
  /** Told the term of any request above this node's own leadership term, so a leader steps down at once. */
  private final LongConsumer higherTermSeen;

  Follower(NodeLog log, LongConsumer higherTermSeen) {
    this.log = log;
    this.higherTermSeen = higherTermSeen;
  }

  JsonObject handle(JsonObject request) {
    return switch (request.getString("op", "")) {
      case "status" -> log.status();
      case "vote" -> vote(request.getLong("term"), request.getString("leader"));
      case "append" -> append(request);
      case "fetch" -> fetch(request.getLong("after"), request.getInteger("max", FETCH_MAX));
      default -> throw new IllegalArgumentException("unknown replica op " + request.getString("op"));
    };
  }

  private JsonObject vote(long term, String candidate) {
    higherTermSeen.accept(term);
    return log.status().put("ok", log.accept(term, candidate));
  }

  private JsonObject append(JsonObject request) {
    long term = request.getLong("term");
    higherTermSeen.accept(term);
    if (!log.accept(term, request.getString("leader"))) {
      return log.status().put("ok", false).put("stale", true);
    }
    long prevSeq = request.getLong("prevSeq");
    long last = log.lastSeq();
    if (prevSeq > last || log.termAt(prevSeq) != request.getLong("prevTerm")) {
      return log.status().put("ok", false);
    }
    List<JournalRecord> records = NodeLog.fromJson(request.getJsonArray("records"));
    if (records.isEmpty()) {
      return log.status().put("ok", true).put("match", prevSeq);
    }
    long end = records.get(records.size() - 1).lastSeq();
    if (last > prevSeq) {
      long probe = Math.min(last, end);
      if (log.termAt(probe) == termOfIncoming(records, probe)) {
        records = records.stream().filter(r -> r.lastSeq() > last).toList();
      } else {
        log.truncateAfter(prevSeq);
      }
    }
    if (!records.isEmpty()) {
      log.append(records).join();
    }
    return log.status().put("ok", true).put("match", end);
  }

  private static long termOfIncoming(List<JournalRecord> records, long seq) {
    for (JournalRecord record : records) {
      if (record.firstSeq() <= seq && seq <= record.lastSeq()) {
        return NodeLog.termOf(record);
      }
    }
    return -2;
  }

  private JsonObject fetch(long after, int max) {
    return log.status().put("records", NodeLog.toJson(log.after(after, Math.min(max, FETCH_MAX))));
  }
}
