package dev.hookbus.config;

import java.util.Set;

/**
 * The embedded journal: where it lives, how hard it syncs, how much it keeps.
 *
 * @param fsync           {@code always} (fsync before every ack), {@code batch} (one fsync per
 *                        {@code fsyncIntervalMs} window, acks still wait for it) or {@code never} (page cache only:
 *                        survives a process crash, not a power cut)
 * @param segmentBytes    a segment file is closed and a new one started past this size
 * @param checkpointEvents the state is saved every this many events, so a start replays at most that many
 */
public record StoreConfig(boolean enabled, String path, String fsync, long fsyncIntervalMs, int retentionDays,
                          long maxEvents, long segmentBytes, long checkpointEvents) {

  public static final Set<String> FSYNC_MODES = Set.of("always", "batch", "never");

  static StoreConfig from(Section s) {
    return new StoreConfig(
        s.bool("enabled", true),
        s.string("path", "data/"),
        s.oneOf("fsync", "batch", FSYNC_MODES),
        s.longValue("fsyncIntervalMs", 5, 1, 10_000),
        s.integer("retentionDays", 7, 1, 36_500),
        s.longValue("maxEvents", 1_000_000, 100, 1_000_000_000_000L),
        s.longValue("segmentBytes", 64L * 1024 * 1024, 64 * 1024, 1L << 34),
        s.longValue("checkpointEvents", 10_000, 1, 1_000_000_000L));
  }

  public StoreConfig withPath(String newPath) {
    return new StoreConfig(enabled, newPath, fsync, fsyncIntervalMs, retentionDays, maxEvents, segmentBytes,
        checkpointEvents);
  }

  public StoreConfig withFsync(String mode) {
    return new StoreConfig(enabled, path, mode, fsyncIntervalMs, retentionDays, maxEvents, segmentBytes,
        checkpointEvents);
  }

  public StoreConfig withLimits(long events, int days) {
    return new StoreConfig(enabled, path, fsync, fsyncIntervalMs, days, events, segmentBytes,
        checkpointEvents);
  }

  public StoreConfig withCheckpointEvents(long events) {
    return new StoreConfig(enabled, path, fsync, fsyncIntervalMs, retentionDays, maxEvents, segmentBytes, events);
  }

  public StoreConfig withEnabled(boolean on) {
    return new StoreConfig(on, path, fsync, fsyncIntervalMs, retentionDays, maxEvents, segmentBytes,
        checkpointEvents);
  }
}
