package dev.hookbus.state;

/** Events in the last minute, in one-second buckets; time comes from the caller. */
public final class EventRate {
  private final long[] counts = new long[60];
  private final long[] seconds = new long[60];

  public void record(long nowMs, int events) {
    long second = nowMs / 1000;
    int slot = (int) (second % 60);
    if (seconds[slot] != second) {
      seconds[slot] = second;
      counts[slot] = 0;
    }
    counts[slot] += events;
  }

  public long perMinute(long nowMs) {
    long now = nowMs / 1000;
    long total = 0;
    for (int i = 0; i < 60; i++) {
      if (now - seconds[i] < 60) {
        total += counts[i];
      }
    }
    return total;
  }
}
