package dev.hookbus.logging;

import org.slf4j.Logger;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A warning that can come hundreds of times a second (every request refused while the cluster elects a leader):
 * the first is logged, then at most one line per interval, which says how many were left out since the last one.
 */
public final class RepeatedWarning {
  private final Logger log;
  private final long intervalMs;
  private final LongSupplier clock;
  private final AtomicLong quietUntil = new AtomicLong(Long.MIN_VALUE);
  private final AtomicInteger leftOut = new AtomicInteger();

  public RepeatedWarning(Logger log, long intervalMs) {
    this(log, intervalMs, System::currentTimeMillis);
  }

  RepeatedWarning(Logger log, long intervalMs, LongSupplier clock) {
    this.log = log;
    this.intervalMs = intervalMs;
    this.clock = clock;
  }

  /** Logs now (SLF4J {@code {}} placeholders), or only counts it when the last line is less than the interval old. */
  public void warn(String format, Object... args) {
    long now = clock.getAsLong();
    long until = quietUntil.get();
    if (now < until || !quietUntil.compareAndSet(until, now + intervalMs)) {
      leftOut.incrementAndGet();
      return;
    }
    int more = leftOut.getAndSet(0);
    if (more == 0) {
      log.warn(format, args);
    } else {
      Object[] withCount = Arrays.copyOf(args, args.length + 1);
      withCount[args.length] = more;
      log.warn(format + " ({} more left out since the last line)", withCount);
    }
  }
}
