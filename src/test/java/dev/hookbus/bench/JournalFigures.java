package dev.hookbus.bench;

import io.vertx.core.json.JsonObject;

/**
 * hookbus's group-commit counters from {@code /metrics}, read at the start and at the end of the measured part of a
 * run: how many fsyncs, how long the journal's writer spent in them, how many appends they covered.
 */
record JournalFigures(double fsyncs, double fsyncSeconds, double appends) {

  static JournalFigures read(Probe probe, int ingestPort, String token) {
    return new JournalFigures(probe.metric(ingestPort, "hookbus_journal_fsyncs_total", token),
        probe.metric(ingestPort, "hookbus_journal_fsync_seconds_total", token),
        probe.metric(ingestPort, "hookbus_journal_appends_total", token));
  }

  /**
   * Adds the measured part's figures to a result line: {@code journalFsyncs}, {@code journalAppendsPerFsync} (the
   * group size), {@code journalFsyncMs} (mean fsync) and {@code journalFsyncBusy} (share of the wall time the
   * writer was in an fsync: near 1, fsync sets the pace). Nothing when the journal is off or the jar has no such
   * meters.
   */
  void since(JournalFigures start, double seconds, JsonObject report) {
    double syncs = fsyncs - start.fsyncs;
    if (Double.isNaN(syncs) || syncs <= 0) {
      return;
    }
    report.put("journalFsyncs", Math.round(syncs))
        .put("journalAppendsPerFsync", round((appends - start.appends) / syncs))
        .put("journalFsyncMs", round((fsyncSeconds - start.fsyncSeconds) * 1000 / syncs))
        .put("journalFsyncBusy", round((fsyncSeconds - start.fsyncSeconds) / seconds));
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
