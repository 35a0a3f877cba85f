package dev.hookbus.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last envelopes by seq, in a ring bounded by count ({@code capacity}) and by their estimated bytes
 * ({@code maxBytes}): whichever bound is hit first drops the oldest. The newest entry always stays, even when it
 * alone is over the byte bound. Seqs are contiguous, so a lookup is an index, and a gap older than the window is
 * reported rather than half-replayed.
 */
public final class History<T> {
  private final Object[] ring;
  private final long[] sizes;
  private final long maxBytes;
  private long firstSeq = 1;
  private long lastSeq;
  private long bytes;

  /** Bounded by count only. */
  public History(int capacity) {
    this(capacity, Long.MAX_VALUE);
  }

  public History(int capacity, long maxBytes) {
    this.ring = new Object[capacity];
    this.sizes = new long[capacity];
    this.maxBytes = maxBytes;
  }

  /** Adds the item for {@code seq}, which must be the next seq after the last one added. */
  public void add(long seq, T item) {
    add(seq, item, 0);
  }

  /** Adds the item for {@code seq} (the next seq after the last one), which holds about {@code itemBytes}. */
  public void add(long seq, T item, long itemBytes) {
    if (lastSeq != 0 && seq != lastSeq + 1) {
      throw new IllegalArgumentException("seq " + seq + " does not follow " + lastSeq);
    }
    addAfterGap(seq, item, itemBytes);
  }

  public void addAfterGap(long seq, T item) {
    addAfterGap(seq, item, 0);
  }

  /** Adds the item for {@code seq}; a gap before it (a journal cut by retention) restarts the window at seq. */
  public void addAfterGap(long seq, T item, long itemBytes) {
    if (lastSeq == 0 || seq != lastSeq + 1) {
      clear();
      firstSeq = seq;
    }
    if (lastSeq - firstSeq + 1 >= ring.length && lastSeq != 0) {
      dropOldest();
    }
    lastSeq = seq;
    int slot = slot(seq);
    ring[slot] = item;
    sizes[slot] = itemBytes;
    bytes += itemBytes;
    while (bytes > maxBytes && firstSeq < lastSeq) {
      dropOldest();
    }
  }

  /**
   * Empties the window and makes {@code seq} its end: the next item added is {@code seq + 1}, and anything at or
   * before {@code seq} is "no longer in the window" rather than "nothing missed".
   */
  public void startAfter(long seq) {
    clear();
    lastSeq = seq;
    firstSeq = seq + 1;
  }

  /** Everything after {@code since}, oldest first; empty when the window no longer reaches back that far. */
  public Optional<List<T>> since(long since) {
    return since(since, Integer.MAX_VALUE, Long.MAX_VALUE);
  }

  /**
   * What follows {@code since}, oldest first, at most {@code max} items and about {@code maxBytes} (always at least
   * one item when any follows); empty when the window no longer reaches back that far.
   */
  public Optional<List<T>> since(long since, int max, long maxBytes) {
    if (since >= lastSeq) {
      return Optional.of(List.of());
    }
    if (size() == 0 || since + 1 < firstSeq) {
      return Optional.empty();
    }
    List<T> items = new ArrayList<>((int) Math.min(max, lastSeq - since));
    long taken = 0;
    for (long seq = since + 1; seq <= lastSeq && items.size() < max; seq++) {
      taken += sizes[slot(seq)];
      if (!items.isEmpty() && taken > maxBytes) {
        break;
      }
      items.add(at(seq));
    }
    return Optional.of(items);
  }

  public Optional<T> get(long seq) {
    return size() > 0 && seq >= firstSeq && seq <= lastSeq ? Optional.of(at(seq)) : Optional.empty();
  }

  /** The oldest seq in the window (meaningless while empty). */
  public long firstSeq() {
    return firstSeq;
  }

  public long lastSeq() {
    return lastSeq;
  }

  public int size() {
    return lastSeq == 0 ? 0 : (int) (lastSeq - firstSeq + 1);
  }

  /** The estimated bytes of what the window holds. */
  public long bytes() {
    return bytes;
  }

  private void dropOldest() {
    int slot = slot(firstSeq);
    bytes -= sizes[slot];
    sizes[slot] = 0;
    ring[slot] = null;
    firstSeq++;
  }

  private void clear() {
    while (lastSeq != 0 && firstSeq <= lastSeq) {
      dropOldest();
    }
    bytes = 0;
  }

  private int slot(long seq) {
    return (int) (seq % ring.length);
  }

  @SuppressWarnings("unchecked")
  private T at(long seq) {
    return (T) ring[slot(seq)];
  }
}
