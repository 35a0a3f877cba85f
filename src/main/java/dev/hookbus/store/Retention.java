package dev.hookbus.store;

import dev.hookbus.config.StoreConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

/**
 * Deletes the oldest segment while everything in it is older than {@code retentionDays} or the journal would
 * still hold {@code maxEvents} without it. The newest segment (being written) is never deleted; segments roll
 * every {@code maxEvents / 8} events, so the journal holds at most about 9/8 of {@code maxEvents}.
 */
final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  private Retention() {
  }

  /** @param keepAfterSeq no segment holding a seq above it is deleted */
  static void apply(Segments segments, StoreConfig config, long lastSeq, long nowMs, long keepAfterSeq) {
    long cutoff = nowMs - TimeUnit.DAYS.toMillis(config.retentionDays());
    ConcurrentSkipListMap<Long, Segments.Segment> files = segments.files();
    int deleted = 0;
    long firstKept = segments.firstSeq();
    while (files.size() > 1) {
      Map.Entry<Long, Segments.Segment> oldest = files.firstEntry();
      Segments.Segment next = files.higherEntry(oldest.getKey()).getValue();
      boolean expired = next.firstTime() < cutoff;
      boolean tooMany = lastSeq - next.firstSeq() + 1 >= config.maxEvents();
      if (!expired && !tooMany || next.firstSeq() - 1 > keepAfterSeq) {
        break;
      }
      try {
        Files.deleteIfExists(oldest.getValue().path());
      } catch (IOException e) {
        LOG.warn("retention: could not delete {}: {}", oldest.getValue().path(), e.toString());
        break;
      }
      files.remove(oldest.getKey());
      deleted++;
      firstKept = next.firstSeq();
    }
    if (deleted > 0) {
      LOG.info("retention: deleted {} old segment(s); the journal now starts at seq {}", deleted, firstKept);
    }
  }
}
