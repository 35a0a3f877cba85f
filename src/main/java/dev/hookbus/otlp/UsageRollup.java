package dev.hookbus.otlp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The journal's usage envelopes summed as they are kept, so that {@code GET /api/usage} reads no journal: per UTC
 * hour of receipt, per session and model, one {@link UsageReport.Cell} (both sources, so "metrics win when present"
 * is decided per query as before). Each hour also knows the first and last seq of its usage envelopes, so that one
 * hour can be read back from the journal: for a since/until inside an hour, and for the hour that retention cut
 * through. It holds every usage envelope with a seq in [{@link #from()}, {@link #seq()}], except the hours
 * {@link #rereads()} still owes. Pure; not thread-safe.
 */
public final class UsageRollup {
  /** Where the state checkpoint keeps it. */
  public static final String CHECKPOINT_KEY = "usageRollup";
  public static final long HOUR_MS = 3_600_000L;
  private static final int VERSION = 1;

  /** Seqs {@code [fromSeq, toSeq]} of one hour to read back from the journal (or, for an edge, to read at all). */
  public record Range(long hour, long fromSeq, long toSeq) {
  }

  private static final class Hour {
    long firstSeq = Long.MAX_VALUE;
    long lastSeq = Long.MIN_VALUE;
    /** session → model → cell, sorted: the same cells always sum in the same order. */
    Map<String, Map<String, UsageReport.Cell>> cells = new TreeMap<>();
  }

  private final TreeMap<Long, Hour> hours = new TreeMap<>();
  /** Hours whose cells were dropped by a retention cut and must be folded again from the journal. */
  private final Map<Long, Range> rereads = new LinkedHashMap<>();
  private long from;
  private long seq;

  /** @param from the first seq of the journal it will be fed from */
  public UsageRollup(long from) {
    this.from = from;
  }

  /** The last seq fed (usage or not). */
  public long seq() {
    return seq;
  }

  /** The first seq it covers: the journal's first seq at the last retention cut. */
  public long from() {
    return from;
  }

  /** Feeds one kept envelope, in seq order; only usage envelopes add anything. */
  public void fold(JsonObject envelope) {
    long envelopeSeq = envelope.getLong("seq", 0L);
    seq = Math.max(seq, envelopeSeq);
    String sessionId = envelope.getString("sessionId");
    if (!UsageReport.counts(envelope.getString("type")) || sessionId == null) {
      return;
    }
    Hour hour = hours.computeIfAbsent(hourOf(envelope), h -> new Hour());
    hour.firstSeq = Math.min(hour.firstSeq, envelopeSeq);
    hour.lastSeq = Math.max(hour.lastSeq, envelopeSeq);
    UsageReport.fold(envelope, model -> hour.cells.computeIfAbsent(sessionId, s -> new TreeMap<>())
        .computeIfAbsent(model, m -> new UsageReport.Cell()));
  }

  public static long hourOf(JsonObject envelope) {
    return Math.floorDiv(envelope.getLong("receivedAt", 0L), HOUR_MS);
  }

  /**
   * Adds every hour wholly inside {@code [since, until)} (null: unbounded) to {@code report} and returns the hours
   * only partly inside, with the seqs of their usage envelopes: the caller reads those and adds the ones in range.
   */
  public List<Range> addTo(UsageReport report, Long since, Long until) {
    List<Range> edges = new ArrayList<>();
    hours.forEach((hour, h) -> {
      long start = hour * HOUR_MS;
      long end = start + HOUR_MS;
      if (since != null && end <= since || until != null && start >= until) {
        return;
      }
      if (since != null && start < since || until != null && end > until) {
        edges.add(new Range(hour, h.firstSeq, h.lastSeq));
        return;
      }
      String day = UsageReport.day(start);
      h.cells.forEach((session, models) -> models.forEach((model, cell) -> report.add(session, model, day, cell)));
    });
    return edges;
  }

  /**
   * The journal now starts at {@code journalFirstSeq} (retention deleted what came before): drops the hours wholly
   * before it, and empties the hours it cut through, which {@link #rereads()} then owes from the journal.
   */
  public void cut(long journalFirstSeq) {
    if (journalFirstSeq <= from) {
      return;
    }
    from = journalFirstSeq;
    for (Iterator<Map.Entry<Long, Hour>> it = hours.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Hour> entry = it.next();
      Hour h = entry.getValue();
      if (h.lastSeq < journalFirstSeq) {
        it.remove();
        rereads.remove(entry.getKey());
      } else if (h.firstSeq < journalFirstSeq) {
        h.cells = new TreeMap<>();
        h.firstSeq = journalFirstSeq;
        rereads.put(entry.getKey(), new Range(entry.getKey(), journalFirstSeq, h.lastSeq));
      }
    }
  }

  /** The hours to fold again from the journal after a cut; none is wholly answered until its reread is done. */
  public List<Range> rereads() {
    return List.copyOf(rereads.values());
  }

  /**
   * Folds what the journal holds of {@code range} (envelopes of any type and hour; only that hour's usage ones
   * count) and settles it; does nothing when a later cut replaced the range meanwhile.
   */
  public void reread(Range range, List<JsonObject> envelopes) {
    if (!range.equals(rereads.get(range.hour()))) {
      return;
    }
    rereads.remove(range.hour());
    long saved = seq;
    for (JsonObject envelope : envelopes) {
      long s = envelope.getLong("seq", 0L);
      if (s >= range.fromSeq() && s <= range.toSeq() && hourOf(envelope) == range.hour()) {
        fold(envelope);
      }
    }
    seq = saved;
  }

  public JsonObject toJson() {
    JsonArray saved = new JsonArray();
    hours.forEach((hour, h) -> {
      JsonArray cells = new JsonArray();
      h.cells.forEach((session, models) -> models.forEach((model, cell) ->
          cells.add(cell.toJson().put("s", session).put("m", model))));
      saved.add(new JsonObject().put("h", hour).put("f", h.firstSeq).put("l", h.lastSeq).put("c", cells));
    });
    JsonArray owed = new JsonArray();
    rereads.values().forEach(r -> owed.add(new JsonArray().add(r.hour()).add(r.fromSeq()).add(r.toSeq())));
    return new JsonObject().put("v", VERSION).put("from", from).put("seq", seq).put("hours", saved)
        .put("rereads", owed);
  }

  /** The rollup saved by {@link #toJson()}; null for another version or none. */
  public static UsageRollup fromJson(JsonObject json) {
    if (json == null || json.getInteger("v", 0) != VERSION) {
      return null;
    }
    UsageRollup rollup = new UsageRollup(json.getLong("from"));
    rollup.seq = json.getLong("seq");
    JsonArray saved = json.getJsonArray("hours");
    for (int i = 0; i < saved.size(); i++) {
      JsonObject h = saved.getJsonObject(i);
      Hour hour = new Hour();
      hour.firstSeq = h.getLong("f");
      hour.lastSeq = h.getLong("l");
      JsonArray cells = h.getJsonArray("c");
      for (int j = 0; j < cells.size(); j++) {
        JsonObject c = cells.getJsonObject(j);
        hour.cells.computeIfAbsent(c.getString("s"), s -> new TreeMap<>())
            .put(c.getString("m"), UsageReport.Cell.fromJson(c));
      }
      rollup.hours.put(h.getLong("h"), hour);
    }
    JsonArray owed = json.getJsonArray("rereads");
    for (int i = 0; i < owed.size(); i++) {
      JsonArray r = owed.getJsonArray(i);
      rollup.rereads.put(r.getLong(0), new Range(r.getLong(0), r.getLong(1), r.getLong(2)));
    }
    return rollup;
  }
}
