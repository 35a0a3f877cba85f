package dev.hookbus.store;

import dev.hookbus.config.StoreConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The append-only journal: segmented files of CRC-checked records. Appends go to one dedicated writer thread
 * ({@link JournalWriter}) and complete only once on disk (unless fsync is {@code never}); reads may run on any
 * thread and never see past the last durable seq.
 */
public final class Journal {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

  private final StoreConfig config;
  private final Segments segments;
  private final String epoch;
  private final JournalWriter writer;
  private final FileChannel lock;
  private final Path dir;
  private volatile Checkpoint checkpoint;
  /** Retention keeps every record after this seq: a start needs the checkpoint plus all that follows it. */
  private volatile long checkpointSeq;

  private Journal(StoreConfig config, Disk disk, Segments segments, String epoch, long lastSeq, FileChannel lock,
                  Checkpoint checkpoint) {
    this.config = config;
    this.segments = segments;
    this.epoch = epoch;
    this.lock = lock;
    this.dir = Path.of(config.path());
    this.checkpoint = checkpoint;
    this.checkpointSeq = checkpoint == null ? Long.MAX_VALUE : checkpoint.seq();
    this.writer = new JournalWriter(config, disk, segments, lastSeq);
  }

  /** Opens (or creates) the journal in {@code config.path()}; blocking, call it on a worker. */
  public static Journal open(StoreConfig config, Disk disk) {
    Path dir = Path.of(config.path());
    try {
      Files.createDirectories(dir);
      Path probe = dir.resolve(".write-probe");
      Files.write(probe, new byte[1]);
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new StoreException("store.path " + dir.toAbsolutePath() + " is not a writable directory (" + e + ")", e);
    }
    FileChannel lock = lock(dir);
    try {
      String epoch = Epoch.load(dir);
      Segments segments = new Segments(dir);
      long lastSeq = segments.open();
      Checkpoint checkpoint = Checkpoint.read(dir).orElse(null);
      if (checkpoint != null && checkpoint.seq() > lastSeq) {
        LOG.warn("journal {}: ignoring a checkpoint at seq {} beyond the journal's last seq {}", dir,
            checkpoint.seq(), lastSeq);
        checkpoint = null;
      }
      LOG.info("journal {} opened: seq {}..{}, epoch {}, fsync {}, checkpoint at {}", dir, segments.firstSeq(),
          lastSeq, epoch, config.fsync(), checkpoint == null ? "none" : checkpoint.seq());
      return new Journal(config, disk, segments, epoch, lastSeq, lock, checkpoint);
    } catch (IOException e) {
      closeQuietly(lock);
      throw new StoreException("cannot open the journal in " + dir.toAbsolutePath() + ": " + e, e);
    }
  }

  /** One writer per journal: a second hookbus on the same store.path would interleave records. */
  private static FileChannel lock(Path dir) {
    FileChannel channel = null;
    try {
      channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      if (channel.tryLock() == null) {
        throw new OverlappingFileLockException();
      }
      return channel;
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new StoreException("store.path " + dir.toAbsolutePath() + " is in use by another hookbus", e);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StoreException("cannot lock " + dir.toAbsolutePath() + "/lock: " + e, e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      LOG.debug("closing the journal lock failed: {}", e.toString());
    }
  }

  public String epoch() {
    return epoch;
  }

  /** The last seq known to be on disk (acked); readers never see past it. */
  public long durableSeq() {
    return writer.durableSeq();
  }

  /** The group commit's figures since the journal opened. */
  public SyncStats syncStats() {
    return writer.stats();
  }

  public long firstSeq() {
    return segments.firstSeq();
  }

  /** Queues records for writing; completes once they are written and synced, in queue order. */
  public CompletableFuture<Void> append(List<JournalRecord> records) {
    return writer.append(records);
  }

  /** Visits the durable records holding seqs {@code >= fromSeq}; blocking, call it on a worker. */
  public void read(long fromSeq, Predicate<JournalRecord> visitor) {
    segments.read(fromSeq, writer.durableSeq(), visitor);
  }

  /** The latest checkpoint (found at open, or written since), if any: the state as of its seq. */
  public Optional<Checkpoint> checkpoint() {
    return Optional.ofNullable(checkpoint);
  }

  /**
   * Replaces the checkpoint; blocking, call it on a worker. Its seq must be durable already: a checkpoint may never
   * claim more than the journal holds.
   */
  public void writeCheckpoint(Checkpoint next) throws IOException {
    if (next.seq() > durableSeq()) {
      throw new IllegalArgumentException("checkpoint at seq " + next.seq() + " beyond the durable seq " + durableSeq());
    }
    Checkpoint.write(dir, next);
    checkpoint = next;
    checkpointSeq = next.seq();
  }

  /**
   * Deletes whole segments older than the retention window or beyond {@code maxEvents}, but never one holding a
   * record after the checkpoint (once there is one); runs on the writer.
   */
  public CompletableFuture<Void> enforceRetention(long nowMs) {
    return writer.run(lastSeq -> Retention.apply(segments, config, lastSeq, nowMs, checkpointSeq));
  }

  /**
   * Drops every record after {@code seq} (and a checkpoint beyond it): a cluster node's uncommitted tail, replaced by
   * the leader's. Completes once the cut is on disk; appends queued after it follow the new end.
   */
  public CompletableFuture<Void> truncateAfter(long seq) {
    return writer.cutAfter(seq).thenRun(() -> {
      Checkpoint current = checkpoint;
      if (current != null && current.seq() > writer.durableSeq()) {
        try {
          Files.deleteIfExists(dir.resolve(Checkpoint.FILE));
        } catch (IOException e) {
          throw new StoreException("cannot drop the checkpoint beyond seq " + seq + ": " + e, e);
        }
        checkpoint = null;
        checkpointSeq = Long.MAX_VALUE;
      }
    });
  }

  /** Writes and syncs what is queued, then closes the files and releases the lock; later appends fail. */
  public CompletableFuture<Void> close() {
    return writer.close().whenComplete((done, failure) -> closeQuietly(lock));
  }
}
