package dev.hookbus.bench;

import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/** End-to-end latencies (hook send to subscriber receipt), shared by the subscribers on every event loop. */
final class Deliveries {
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(2);

  final AtomicHistogram small = new AtomicHistogram(MAX_MICROS, 3);
  final AtomicHistogram big = new AtomicHistogram(MAX_MICROS, 3);

  void record(boolean isBig, long nanos) {
    long micros = Math.max(1, Math.min(MAX_MICROS, TimeUnit.NANOSECONDS.toMicros(nanos)));
    (isBig ? big : small).recordValue(micros);
  }

  /** {@code count} deliveries of {@code micros} each, from a histogram kept elsewhere (the Node subscribers). */
  void record(boolean isBig, long micros, long count) {
    (isBig ? big : small).recordValueWithCount(Math.max(1, Math.min(MAX_MICROS, micros)), count);
  }

  /** Per-subscriber counters summed over all subscribers. */
  static final class Totals {
    long received;
    long lost;
    long duplicated;
    long outOfOrderBySeq;
    long outOfOrderByGen;
    long seqGaps;
    long errorFrames;
    int closedSockets;

    void add(long received, long lost, long duplicated, long outOfOrderBySeq, long outOfOrderByGen, long seqGaps,
             long errors, boolean closed) {
      this.received += received;
      this.lost += lost;
      this.duplicated += duplicated;
      this.outOfOrderBySeq += outOfOrderBySeq;
      this.outOfOrderByGen += outOfOrderByGen;
      this.seqGaps += seqGaps;
      this.errorFrames += errors;
      this.closedSockets += closed ? 1 : 0;
    }
  }

  /** {@code {p50, p90, p99, max}} in milliseconds with µs precision. */
  static io.vertx.core.json.JsonObject millis(Histogram h) {
    io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject().put("count", h.getTotalCount());
    if (h.getTotalCount() == 0) {
      return json;
    }
    return json.put("p50", ms(h.getValueAtPercentile(50))).put("p90", ms(h.getValueAtPercentile(90)))
        .put("p99", ms(h.getValueAtPercentile(99))).put("max", ms(h.getMaxValue()));
  }

  private static double ms(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }
}
