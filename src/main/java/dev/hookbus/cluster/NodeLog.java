package dev.hookbus.cluster;

import dev.hookbus.config.StoreConfig;
import dev.hookbus.store.Disk;
import dev.hookbus.store.Journal;
import dev.hookbus.store.JournalRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A cluster node's copy of the replicated log: its own journal (the same store as a single node), with the term
 * each record was written in stamped at the front of its body ({@code {"t":7,…}}, which {@code Replayer} ignores),
 * the term runs and the highest term seen in {@link TermFile}, and the newest records in memory up to
 * {@code maxTailBytes} so that followers are fed without reading the disk; older records are read from the journal.
 * As in Raft, two logs holding a record with the same seq and term are equal up to it. Methods marked blocking
 * run on a worker; the rest are cheap and may run on an event loop.
 */
final class NodeLog {
  private static final Logger LOG = LoggerFactory.getLogger(NodeLog.class);
  private static final byte[] TERM_PREFIX = "{\"t\":".getBytes(StandardCharsets.US_ASCII);

  private final Journal journal;
  private final TermFile file;
  private final long maxTailBytes;
  private final ArrayDeque<JournalRecord> tail = new ArrayDeque<>();
  private final TreeMap<Long, Long> runs;
  private long tailBytes;
  private long lastSeq;
  private long term;
  private String leader;

  private NodeLog(Journal journal, TermFile file, TermFile.State state, long maxTailBytes) {
    this.journal = journal;
    this.file = file;
    this.maxTailBytes = maxTailBytes;
    this.runs = state.runs();
    this.term = state.term();
    this.leader = state.leader();
    this.lastSeq = journal.durableSeq();
  }

  /** Opens the node's journal and term file; blocking. */
  static NodeLog open(StoreConfig store, long maxTailBytes) {
    Journal journal = Journal.open(store, Disk.REAL);
    TermFile file = new TermFile(Path.of(store.path()));
    NodeLog log = new NodeLog(journal, file, file.load(), maxTailBytes);
    log.reconcile();
    return log;
  }

  /** After a crash the term file may name runs the journal never got, or miss the last one: make them agree. */
  private synchronized void reconcile() {
    boolean changed = !runs.tailMap(lastSeq + 1, true).isEmpty();
    runs.tailMap(lastSeq + 1, true).clear();
    if (lastSeq > 0) {
      JournalRecord[] last = new JournalRecord[1];
      journal.read(lastSeq, r -> {
        last[0] = r;
        return true;
      });
      if (last[0] != null && termAt(lastSeq) != termOf(last[0])) {
        LOG.info("rebuilding the term runs of the journal from its records");
        runs.clear();
        journal.read(1, r -> {
          Map.Entry<Long, Long> floor = runs.floorEntry(r.firstSeq());
          if (floor == null || floor.getValue() != termOf(r)) {
            runs.put(r.firstSeq(), termOf(r));
          }
          return true;
        });
        changed = true;
      }
    }
    if (changed) {
      file.save(term, leader, runs);
    }
    LOG.info("cluster log: seq {} (last term {}), highest term seen {}", lastSeq, termAt(lastSeq), term);
  }

  Journal journal() {
    return journal;
  }

  synchronized long lastSeq() {
    return lastSeq;
  }

  synchronized long lastTerm() {
    return termAt(lastSeq);
  }

  synchronized long term() {
    return term;
  }

  /** The term of the record holding {@code seq}: 0 for seq 0 or a record from before any term, -1 past the end. */
  synchronized long termAt(long seq) {
    if (seq <= 0) {
      return 0;
    }
    if (seq > lastSeq) {
      return -1;
    }
    Map.Entry<Long, Long> run = runs.floorEntry(seq);
    return run == null ? 0 : run.getValue();
  }

  synchronized JsonArray runsJson() {
    JsonArray json = new JsonArray();
    runs.forEach((first, t) -> json.add(new JsonArray().add(first).add(t)));
    return json;
  }

  synchronized JsonObject status() {
    return new JsonObject().put("term", term).put("lastSeq", lastSeq).put("lastTerm", termAt(lastSeq))
        .put("runs", runsJson());
  }

  /**
   * Accepts {@code candidate} as the leader of {@code newTerm} unless a higher term was seen or another node was
   * accepted for this one; persisted before it returns true. Blocking.
   */
  synchronized boolean accept(long newTerm, String candidate) {
    if (newTerm < term || (newTerm == term && leader != null && !leader.equals(candidate))) {
      return false;
    }
    if (newTerm > term || leader == null) {
      term = newTerm;
      leader = candidate;
      file.save(term, leader, runs);
    }
    return true;
  }

  /**
   * Queues records (already stamped with their term) that follow {@link #lastSeq()}; the future completes once
   * they are on disk. Blocking only when a record opens a new term run (the term file is written first): a leader
   * opens its run with {@link #openRun} before it appends.
   */
  synchronized CompletableFuture<Void> append(List<JournalRecord> records) {
    if (records.get(0).firstSeq() != lastSeq + 1) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "records from seq " + records.get(0).firstSeq() + " do not follow " + lastSeq));
    }
    boolean changed = false;
    for (JournalRecord record : records) {
      long recordTerm = termOf(record);
      Map.Entry<Long, Long> floor = runs.floorEntry(record.firstSeq());
      if (floor == null ? recordTerm != 0 : floor.getValue() != recordTerm) {
        runs.tailMap(record.firstSeq(), true).clear();
        runs.put(record.firstSeq(), recordTerm);
        changed = true;
      }
      lastSeq = record.lastSeq();
      tail.addLast(record);
      tailBytes += record.body().length;
    }
    while (tailBytes > maxTailBytes && tail.size() > 1) {
      tailBytes -= tail.removeFirst().body().length;
    }
    if (changed) {
      file.save(term, leader, runs);
    }
    return journal.append(records);
  }

  /** The leader's append: refused once a higher term was seen here, so a deposed leader writes nothing more. */
  synchronized CompletableFuture<Void> appendAsLeader(List<JournalRecord> records, long leaderTerm) {
    if (term != leaderTerm) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "term " + leaderTerm + " is over (term " + term + " seen)"));
    }
    return append(records);
  }

  /** A new leader's records start at the next seq under {@code leaderTerm}. Blocking. */
  synchronized void openRun(long leaderTerm) {
    runs.tailMap(lastSeq + 1, true).clear();
    runs.put(lastSeq + 1, leaderTerm);
    file.save(term, leader, runs);
  }

  /** Drops every record after {@code seq}: a tail that was never committed. Blocking. */
  synchronized void truncateAfter(long seq) {
    if (seq >= lastSeq) {
      return;
    }
    LOG.info("dropping seqs {}..{}: written under an old term and never committed", seq + 1, lastSeq);
    journal.truncateAfter(seq).join();
    lastSeq = journal.durableSeq();
    runs.tailMap(lastSeq + 1, true).clear();
    while (!tail.isEmpty() && tail.peekLast().lastSeq() > lastSeq) {
      tailBytes -= tail.removeLast().body().length;
    }
    file.save(term, leader, runs);
  }

  /** Up to {@code max} records after {@code seq} (a record boundary), from memory or the journal. Blocking. */
  List<JournalRecord> after(long seq, int max) {
    List<JournalRecord> out = new ArrayList<>();
    synchronized (this) {
      if (!tail.isEmpty() && tail.peekFirst().firstSeq() <= seq + 1) {
        for (Iterator<JournalRecord> it = tail.iterator(); it.hasNext() && out.size() < max; ) {
          JournalRecord record = it.next();
          if (record.firstSeq() > seq) {
            out.add(record);
          }
        }
        return out;
      }
    }
    journal.read(seq + 1, record -> {
      if (record.firstSeq() > seq) {
        out.add(record);
      }
      return out.size() < max;
    });
    return out;
  }

  /** Bytes of records held in memory. */
  synchronized long tailBytes() {
    return tailBytes;
  }

  /** The same record with {@code recordTerm} stamped at the front of its JSON body. */
  static JournalRecord stamped(JournalRecord record, long recordTerm) {
    byte[] body = record.body();
    byte[] number = (recordTerm + ",").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[TERM_PREFIX.length + number.length + body.length - 1];
    System.arraycopy(TERM_PREFIX, 0, out, 0, TERM_PREFIX.length);
    System.arraycopy(number, 0, out, TERM_PREFIX.length, number.length);
    System.arraycopy(body, 1, out, TERM_PREFIX.length + number.length, body.length - 1);
    return new JournalRecord(record.firstSeq(), record.lastSeq(), record.time(), out);
  }

  /** The term stamped on a record; 0 for one written outside a cluster. */
  static long termOf(JournalRecord record) {
    byte[] body = record.body();
    if (body.length <= TERM_PREFIX.length) {
      return 0;
    }
    for (int i = 0; i < TERM_PREFIX.length; i++) {
      if (body[i] != TERM_PREFIX[i]) {
        return 0;
      }
    }
    long value = 0;
    for (int i = TERM_PREFIX.length; i < body.length && body[i] >= '0' && body[i] <= '9'; i++) {
      value = value * 10 + (body[i] - '0');
    }
    return value;
  }

  /**
   * The last seq up to which two logs agree, from their term runs: the highest seq, at most both ends, at which
   * both hold a record of the same term (equal terms at a seq mean equal logs up to it).
   */
  static long agreement(TreeMap<Long, Long> mine, long myLast, TreeMap<Long, Long> theirs, long theirLast) {
    long top = Math.min(myLast, theirLast);
    TreeMap<Long, Boolean> points = new TreeMap<>();
    points.put(top, true);
    for (long first : mine.keySet()) {
      if (first - 1 <= top) {
        points.put(first - 1, true);
      }
    }
    for (long first : theirs.keySet()) {
      if (first - 1 <= top) {
        points.put(first - 1, true);
      }
    }
    for (long point : points.descendingKeySet()) {
      if (point <= 0 || termIn(mine, point) == termIn(theirs, point)) {
        return Math.max(0, point);
      }
    }
    return 0;
  }

  private static long termIn(TreeMap<Long, Long> runs, long seq) {
    Map.Entry<Long, Long> run = runs.floorEntry(seq);
    return run == null ? 0 : run.getValue();
  }

  static TreeMap<Long, Long> runsFrom(JsonArray json) {
    TreeMap<Long, Long> out = new TreeMap<>();
    for (Object item : json) {
      JsonArray pair = (JsonArray) item;
      out.put(pair.getLong(0), pair.getLong(1));
    }
    return out;
  }

  synchronized TreeMap<Long, Long> runs() {
    return new TreeMap<>(runs);
  }

  static JsonArray toJson(List<JournalRecord> records) {
    JsonArray json = new JsonArray(new ArrayList<>(records.size()));
    records.forEach(r -> json.add(new JsonObject().put("first", r.firstSeq()).put("last", r.lastSeq())
        .put("time", r.time()).put("body", r.body())));
    return json;
  }

  static List<JournalRecord> fromJson(JsonArray json) {
    List<JournalRecord> out = new ArrayList<>(json.size());
    for (int i = 0; i < json.size(); i++) {
      JsonObject r = json.getJsonObject(i);
      out.add(new JournalRecord(r.getLong("first"), r.getLong("last"), r.getLong("time"), r.getBinary("body")));
    }
    return out;
  }
}
