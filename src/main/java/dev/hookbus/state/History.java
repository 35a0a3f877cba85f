package dev.hookbus.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last {@code capacity} envelopes by seq, in a ring. Seqs are contiguous, so a lookup is an index,
 * and a gap older than the window is reported rather than half-replayed.
 */
public final class History<T> {
  private final Object[] ring;
  private long firstSeq = 1;
  private long lastSeq;

  public History(int capacity) {
    this.ring = new Object[capacity];
  }

  /** Adds the item for {@code seq}, which must be the next seq after the last one added. */
  public void add(long seq, T item) {
    if (lastSeq != 0 && seq != lastSeq + 1) {
      throw new IllegalArgumentException("seq " + seq + " does not follow " + lastSeq);
    }
    addAfterGap(seq, item);
  }

  /** Adds the item for {@code seq}; a gap before it (a journal cut by retention) restarts the window at seq. */
  public void addAfterGap(long seq, T item) {
    if (lastSeq == 0 || seq != lastSeq + 1) {
      firstSeq = seq;
    }
    lastSeq = seq;
    ring[(int) (seq % ring.length)] = item;
    if (lastSeq - firstSeq + 1 > ring.length) {
      firstSeq = lastSeq - ring.length + 1;
    }
  }

  /**
   * Empties the window and makes {@code seq} its end: the next item added is {@code seq + 1}, and anything at or
   * before {@code seq} is "no longer in the window" rather than "nothing missed".
   */
  public void startAfter(long seq) {
    java.util.Arrays.fill(ring, null);
    lastSeq = seq;
    firstSeq = seq + 1;
  }

  /** Everything after {@code since}, oldest first; empty when the window no longer reaches back that far. */
  public Optional<List<T>> since(long since) {
    if (since >= lastSeq) {
      return Optional.of(List.of());
    }
    if (size() == 0 || since + 1 < firstSeq) {
      return Optional.empty();
    }
    List<T> items = new ArrayList<>((int) (lastSeq - since));
    for (long seq = since + 1; seq <= lastSeq; seq++) {
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

  @SuppressWarnings("unchecked")
  private T at(long seq) {
    return (T) ring[(int) (seq % ring.length)];
  }
}
