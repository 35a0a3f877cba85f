package dev.hookbus.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * The segment files of one journal directory, named by the first seq they hold ({@code 00000000000000000042.seg}),
 * so finding the segment of a seq is a floor lookup and retention deletes whole files. Safe to read from any
 * thread while the writer appends: readers stop at {@code limitSeq}, and a file deleted under a reader stays
 * readable until it closes it.
 */
final class Segments {
  private static final Logger LOG = LoggerFactory.getLogger(Segments.class);
  static final String SUFFIX = ".seg";

  /** Byte distance between two entries of a segment's sparse seq → offset index. */
  static final long INDEX_SPACING = 256 * 1024;

  /**
   * One segment file; {@code firstTime} is the time of its first record (retention by age reads it). {@code index}
   * maps the first seq of some records to their offset, one about every {@link #INDEX_SPACING} bytes, so a read
   * from a seq scans at most that much of the segment. The writer and readers fill it in as they pass.
   */
  record Segment(long firstSeq, Path path, long firstTime, ConcurrentSkipListMap<Long, Long> index) {
    Segment(long firstSeq, Path path, long firstTime) {
      this(firstSeq, path, firstTime, new ConcurrentSkipListMap<>(Map.of(firstSeq, 0L)));
    }

    void indexed(long seq, long offset) {
      Map.Entry<Long, Long> before = index.floorEntry(seq);
      if (before == null || offset - before.getValue() >= INDEX_SPACING) {
        index.put(seq, offset);
      }
    }
  }

  private final Path dir;
  private final ConcurrentSkipListMap<Long, Segment> files = new ConcurrentSkipListMap<>();

  Segments(Path dir) {
    this.dir = dir;
  }

  /** Lists the segments; cuts a torn tail off the last one. Returns the last seq in the journal (0 if empty). */
  long open() throws IOException {
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path path : stream) {
        String name = path.getFileName().toString();
        try {
          long first = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
          files.put(first, new Segment(first, path, Long.MAX_VALUE));
        } catch (NumberFormatException e) {
          LOG.warn("ignoring {} in the store directory: not a segment name", path);
        }
      }
    }
    for (Segment segment : files.values()) {
      try (DataInputStream in = stream(segment.path())) {
        JournalRecord first = RecordCodec.read(in);
        if (first != null) {
          files.put(segment.firstSeq(), new Segment(segment.firstSeq(), segment.path(), first.time()));
        }
      } catch (RecordCodec.Torn e) {
        // an empty or torn segment: the last one is repaired below, a middle one is skipped when read
      }
    }
    while (!files.isEmpty()) {
      Segment last = files.lastEntry().getValue();
      long lastSeq = recover(last);
      if (lastSeq >= 0) {
        return lastSeq;
      }
      Files.delete(last.path());
      files.remove(last.firstSeq());
    }
    return 0;
  }

  /** Scans a segment, truncating a torn tail. Returns its last seq, or -1 when it holds no valid record. */
  private long recover(Segment segment) throws IOException {
    long valid = 0;
    long lastSeq = -1;
    long expected = segment.firstSeq();
    Long firstTime = null;
    String torn = null;
    ConcurrentSkipListMap<Long, Long> index = new ConcurrentSkipListMap<>(Map.of(segment.firstSeq(), 0L));
    Segment indexing = new Segment(segment.firstSeq(), segment.path(), Long.MAX_VALUE, index);
    try (DataInputStream in = stream(segment.path())) {
      JournalRecord record;
      while ((record = RecordCodec.read(in)) != null) {
        if (record.firstSeq() != expected || record.lastSeq() < record.firstSeq()) {
          torn = "seq " + record.firstSeq() + " where " + expected + " was due";
          break;
        }
        firstTime = firstTime == null ? record.time() : firstTime;
        // the start reads this segment again from the checkpoint on: index it on the way
        indexing.indexed(record.firstSeq(), valid);
        valid += RecordCodec.size(record);
        lastSeq = record.lastSeq();
        expected = lastSeq + 1;
      }
    } catch (RecordCodec.Torn e) {
      torn = e.getMessage();
    }
    long size = Files.size(segment.path());
    if (torn != null || valid < size) {
      LOG.warn("journal: dropped a torn tail of {} bytes from {} after seq {} ({}); everything before it is kept",
          size - valid, segment.path().getFileName(), lastSeq < 0 ? segment.firstSeq() - 1 : lastSeq, torn);
      try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.WRITE)) {
        channel.truncate(valid);
        channel.force(true);
      }
    }
    if (firstTime != null) {
      files.put(segment.firstSeq(), new Segment(segment.firstSeq(), segment.path(), firstTime, index));
    }
    return lastSeq;
  }

  /** Visits every record holding a seq in {@code [fromSeq, limitSeq]}, oldest first, until the visitor says stop. */
  void read(long fromSeq, long limitSeq, Predicate<JournalRecord> visitor) {
    Long start = files.floorKey(fromSeq);
    for (Segment segment : (start == null ? files : files.tailMap(start, true)).values()) {
      if (segment.firstSeq() > limitSeq) {
        return;
      }
      Map.Entry<Long, Long> from = segment.index().floorEntry(Math.max(fromSeq, segment.firstSeq()));
      long offset = from == null ? 0 : from.getValue();
      try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
        DataInputStream in = new DataInputStream(new BufferedInputStream(
            Channels.newInputStream(channel.position(offset)), 1 << 16));
        JournalRecord record;
        while ((record = RecordCodec.read(in)) != null) {
          if (record.firstSeq() > limitSeq) {
            return;
          }
          segment.indexed(record.firstSeq(), offset);
          offset += RecordCodec.size(record);
          if (record.lastSeq() >= fromSeq && !visitor.test(record)) {
            return;
          }
        }
      } catch (NoSuchFileException e) {
        LOG.debug("segment {} went to retention while being read", segment.path());
      } catch (RecordCodec.Torn e) {
        if (segment.firstSeq() == files.lastKey()) {
          return; // the writer is in the middle of a record past limitSeq
        }
        LOG.warn("journal: corrupt record in {} ({}); skipping to the next segment", segment.path(), e.getMessage());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Cuts the journal back to the last record ending at or before {@code seq}: later segments are deleted, the one
   * holding it is truncated after that record. For a cluster node whose tail was never committed (a deposed leader's
   * last writes). Returns the new last seq. Writer thread only, with no segment open for writing.
   */
  long cutAfter(long seq) throws IOException {
    long kept = 0;
    for (Segment segment : files.descendingMap().values()) {
      if (segment.firstSeq() > seq) {
        Files.deleteIfExists(segment.path());
        files.remove(segment.firstSeq());
        continue;
      }
      long offset = 0;
      try (DataInputStream in = stream(segment.path())) {
        JournalRecord record;
        while ((record = RecordCodec.read(in)) != null && record.lastSeq() <= seq) {
          offset += RecordCodec.size(record);
          kept = record.lastSeq();
        }
      } catch (RecordCodec.Torn e) {
        // cut at the last whole record before it
      }
      if (offset == 0) {
        Files.deleteIfExists(segment.path());
        files.remove(segment.firstSeq());
        kept = segment.firstSeq() - 1;
        continue;
      }
      try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.WRITE)) {
        channel.truncate(offset);
        channel.force(true);
      }
      long end = offset;
      segment.index().entrySet().removeIf(e -> e.getValue() >= end);
      return kept;
    }
    return kept;
  }

  Path pathFor(long firstSeq) {
    return dir.resolve(String.format("%020d%s", firstSeq, SUFFIX));
  }

  void add(Segment segment) {
    files.put(segment.firstSeq(), segment);
  }

  Map.Entry<Long, Segment> last() {
    return files.lastEntry();
  }

  ConcurrentSkipListMap<Long, Segment> files() {
    return files;
  }

  long firstSeq() {
    return files.isEmpty() ? 0 : files.firstKey();
  }

  private static DataInputStream stream(Path path) throws IOException {
    InputStream in = Files.newInputStream(path);
    return new DataInputStream(new BufferedInputStream(in, 1 << 16));
  }
}
