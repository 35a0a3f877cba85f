package dev.hookbus.state;

import dev.hookbus.bus.EncodedJson;
import dev.hookbus.otlp.UsageReport;
import dev.hookbus.otlp.UsageRollup;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * {@code GET /api/usage}'s answers, from the {@link UsageRollup} of every kept usage envelope (the {@link Keeper}
 * feeds it as it publishes, and the checkpoint saves it). A query adds the rollup's whole hours in range and reads
 * from the log only the usage envelopes of the hours its since/until cut through. After retention deleted old
 * segments, it first drops what they held (and folds again, from the log, the hours the cut went through), so the
 * answer is always that of a scan of what the journal holds. On the actor's event loop; log reads go to the worker
 * pool.
 */
final class UsageLedger {
  private final UsageRollup rollup;
  private final StateLog log;
  private final History<String> history;
  private Future<Void> settling = Future.succeededFuture();

  UsageLedger(UsageRollup rollup, StateLog log, History<String> history) {
    this.rollup = rollup;
    this.log = log;
    this.history = history;
  }

  /** Every envelope, once kept, in seq order. */
  void published(JsonObject envelope) {
    rollup.fold(envelope);
  }

  /** For the state checkpoint: the rollup as of the last envelope published. */
  JsonObject checkpoint() {
    return rollup.toJson();
  }

  /** The report of the usage received in {@code [since, until)} (epoch ms; null: unbounded). */
  Future<JsonObject> report(UsageReport.By by, Long since, Long until) {
    return settle().compose(v -> {
      UsageReport report = new UsageReport(by);
      Future<Void> edges = Future.succeededFuture();
      for (UsageRollup.Range edge : rollup.addTo(report, since, until)) {
        edges = edges.compose(x -> envelopes(edge).map(found -> {
          for (JsonObject envelope : found) {
            long received = envelope.getLong("receivedAt", 0L);
            if (UsageRollup.hourOf(envelope) == edge.hour() && (since == null || received >= since)
                && (until == null || received < until)) {
              report.add(envelope);
            }
          }
          return null;
        }));
      }
      return edges.map(x -> report.toJson());
    });
  }

  /** Follows the log's retention, one settling at a time. */
  private Future<Void> settle() {
    settling = settling.transform(ignored -> {
      rollup.cut(log.firstSeq());
      Future<Void> owed = Future.succeededFuture();
      for (UsageRollup.Range range : rollup.rereads()) {
        owed = owed.compose(v -> envelopes(range).map(found -> {
          rollup.reread(range, found);
          return null;
        }));
      }
      return owed;
    });
    return settling;
  }

  /** The usage envelopes of {@code range}'s seqs: from the log, or, for a log without a past, the history window. */
  private Future<List<JsonObject>> envelopes(UsageRollup.Range range) {
    return log.usageEnvelopes(range.fromSeq(), range.toSeq()).map(found -> found.orElseGet(() ->
        window(Math.max(history.firstSeq(), range.fromSeq()), range.toSeq()).stream()
            .map(EncodedJson::parse)
            .filter(e -> UsageReport.counts(e.getString("type")))
            .toList()));
  }

  private List<String> window(long fromSeq, long toSeq) {
    return toSeq < fromSeq ? List.of()
        : history.since(fromSeq - 1, (int) Math.min(Integer.MAX_VALUE, toSeq - fromSeq + 1), Long.MAX_VALUE)
            .orElse(List.of());
  }
}
