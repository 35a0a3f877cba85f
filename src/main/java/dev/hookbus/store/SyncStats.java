package dev.hookbus.store;

/**
 * What the journal's group commit did since it opened: how many fsyncs, how long they took together, and how many
 * appends (one per state transition) they covered. Appends per fsync is the group size; fsync time per append is
 * what a hook waited for the disk rather than for the CPU.
 */
public record SyncStats(long fsyncs, long fsyncNanos, long appends) {
  public static final SyncStats NONE = new SyncStats(0, 0, 0);
}
