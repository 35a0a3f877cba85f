package dev.hookbus.store;

import dev.hookbus.config.StoreConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The journal's one writer thread: takes every queued append, writes them, fsyncs once for all of them (group
 * commit) and only then completes their futures. In {@code batch} mode, while appends keep arriving it goes on
 * writing them for up to {@code fsyncIntervalMs} before the fsync. When the queue is empty it fsyncs at once if
 * the last group was a lone append (one hook at a time: waiting would only delay it); after a group of several
 * (requests in flight together) it first waits for the next append for up to as long as the last fsync took,
 * again and again, so the requests whose acks just went out join this fsync instead of the one after it.
 * A failed write is cut back off the segment; later appends that no longer follow in seq order fail too.
 * Longer than most classes on purpose: everything that runs on the writer thread is here, so the one place where
 * the journal's threading and failure rules live can be read in one go.
 */
final class JournalWriter {
  private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);

  private sealed interface Task permits Append, Run, Close {
  }

  private record Append(List<JournalRecord> records, CompletableFuture<Void> done) implements Task {
  }

  private record Run(Runnable action, CompletableFuture<Void> done) implements Task {
  }

  private record Close(CompletableFuture<Void> done) implements Task {
  }

  private final StoreConfig config;
  private final Disk disk;
  private final Segments segments;
  private final long segmentEvents;
  private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
  private FileChannel active;
  private long activeFirstSeq;
  private long lastSeq;
  private long lastFsyncNanos;
  private int lastGroupAppends;
  private boolean syncFailed;
  private volatile long durableSeq;
  private volatile SyncStats stats = SyncStats.NONE;
  private volatile boolean closed;

  JournalWriter(StoreConfig config, Disk disk, Segments segments, long lastSeq) {
    this.config = config;
    this.disk = disk;
    this.segments = segments;
    this.lastSeq = lastSeq;
    this.durableSeq = lastSeq;
    this.segmentEvents = Math.max(1, config.maxEvents() / 8);
    Thread thread = new Thread(this::loop, "hookbus-journal");
    thread.setDaemon(true);
    thread.start();
  }

  long durableSeq() {
    return durableSeq;
  }

  SyncStats stats() {
    return stats;
  }

  CompletableFuture<Void> append(List<JournalRecord> records) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    return submit(new Append(records, done), done);
  }

  /** Runs {@code action} on the writer thread, between writes; it gets the last written seq. */
  CompletableFuture<Void> run(LongConsumer action) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    return submit(new Run(() -> action.accept(lastSeq), done), done);
  }

  /** Cuts every record after {@code seq} off the journal (see {@link Segments#cutAfter}); in queue order. */
  CompletableFuture<Void> cutAfter(long seq) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    return submit(new Run(() -> {
      if (seq >= lastSeq) {
        return;
      }
      closeActive();
      try {
        lastSeq = segments.cutAfter(seq);
      } catch (IOException e) {
        throw new StoreException("cannot cut the journal after seq " + seq + ": " + e, e);
      }
      durableSeq = lastSeq;
    }, done), done);
  }

  CompletableFuture<Void> close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Task close = new Close(done);
    closed = true;
    queue.add(close);
    return done;
  }

  private CompletableFuture<Void> submit(Task task, CompletableFuture<Void> done) {
    if (closed) {
      done.completeExceptionally(new StoreException("the journal is closed"));
    } else {
      queue.add(task);
    }
    return done;
  }

  private void loop() {
    List<Append> written = new ArrayList<>();
    while (true) {
      Close close;
      try {
        close = process(queue.take(), written);
        if (config.fsync().equals("batch")) {
          close = gather(close, written);
        }
      } catch (InterruptedException e) {
        return;
      }
      sync(written);
      if (close != null) {
        closeActive();
        close.done().complete(null);
        failQueued();
        return;
      }
    }
  }

  /** {@code batch}: lets more appends join the coming fsync (see the class comment); returns a close if one came. */
  private Close gather(Close close, List<Append> written) throws InterruptedException {
    long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.fsyncIntervalMs());
    boolean inFlightTogether = lastGroupAppends > 1;
    while (close == null && !written.isEmpty()) {
      Task next = queue.poll();
      if (next == null && inFlightTogether) {
        long wait = Math.min(lastFsyncNanos, due - System.nanoTime());
        next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : null;
      }
      if (next == null) {
        break;
      }
      close = process(next, written);
      if (System.nanoTime() >= due) {
        break;
      }
    }
    return close;
  }

  /** Processes one task and everything queued behind it; returns the close task if one came. */
  private Close process(Task first, List<Append> written) {
    List<Task> tasks = new ArrayList<>();
    tasks.add(first);
    queue.drainTo(tasks);
    for (Task task : tasks) {
      if (task instanceof Append append) {
        if (write(append)) {
          written.add(append);
        }
      } else if (task instanceof Run run) {
        try {
          run.action().run();
          run.done().complete(null);
        } catch (RuntimeException e) {
          run.done().completeExceptionally(e);
        }
      } else if (task instanceof Close close) {
        tasks.subList(tasks.indexOf(task) + 1, tasks.size()).forEach(queue::add);
        return close;
      }
    }
    return null;
  }

  private boolean write(Append append) {
    List<JournalRecord> records = append.records();
    if (syncFailed) {
      append.done().completeExceptionally(new StoreException("the journal could not sync earlier; restart hookbus"));
      return false;
    }
    if (records.get(0).firstSeq() != lastSeq + 1) {
      append.done().completeExceptionally(new StoreException(
          "append at seq " + records.get(0).firstSeq() + " does not follow " + lastSeq + " (an earlier write failed)"));
      return false;
    }
    long start = -1;
    try {
      roll(records.get(0));
      int size = 0;
      for (JournalRecord record : records) {
        size += RecordCodec.size(record);
      }
      ByteBuffer buffer = ByteBuffer.allocate(size);
      records.forEach(record -> RecordCodec.encode(record, buffer));
      start = active.position();
      disk.write(active, buffer.flip());
      lastSeq = records.get(records.size() - 1).lastSeq();
      Segments.Segment segment = segments.files().get(activeFirstSeq);
      if (segment != null) {
        segment.indexed(records.get(0).firstSeq(), start);
      }
      return true;
    } catch (IOException | RuntimeException e) {
      undo(start);
      append.done().completeExceptionally(new StoreException("journal write failed: " + e.getMessage(), e));
      return false;
    }
  }

  private void undo(long start) {
    if (start < 0 || active == null) {
      return;
    }
    try {
      active.truncate(start);
      active.position(start);
    } catch (IOException e) {
      LOG.error("journal: could not cut a failed write back off the segment: {}", e.toString());
      syncFailed = true;
    }
  }

  private void roll(JournalRecord next) throws IOException {
    if (active == null) {
      Map.Entry<Long, Segments.Segment> last = segments.last();
      if (last != null && last.getKey() + segmentEvents > next.firstSeq()
          && Files.size(last.getValue().path()) < config.segmentBytes()) {
        active = FileChannel.open(last.getValue().path(), StandardOpenOption.WRITE);
        active.position(active.size());
        activeFirstSeq = last.getKey();
        return;
      }
    } else if (active.position() < config.segmentBytes() && next.firstSeq() - activeFirstSeq < segmentEvents) {
      return;
    }
    closeActive();
    Path path = segments.pathFor(next.firstSeq());
    active = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    activeFirstSeq = next.firstSeq();
    segments.add(new Segments.Segment(next.firstSeq(), path, next.time()));
    if (!config.fsync().equals("never")) {
      Epoch.syncDirectory(path.getParent());
    }
  }

  private void sync(List<Append> written) {
    if (written.isEmpty()) {
      return;
    }
    try {
      long started = System.nanoTime();
      if (!config.fsync().equals("never")) {
        active.force(false);
      }
      lastFsyncNanos = System.nanoTime() - started;
      lastGroupAppends = written.size();
      SyncStats was = stats;
      stats = new SyncStats(was.fsyncs() + 1, was.fsyncNanos() + lastFsyncNanos, was.appends() + written.size());
      durableSeq = lastSeq;
      written.forEach(append -> append.done().complete(null));
    } catch (IOException e) {
      syncFailed = true;
      LOG.error("journal: fsync failed, refusing further writes: {}", e.toString());
      written.forEach(append -> append.done().completeExceptionally(new StoreException("fsync failed", e)));
    }
    written.clear();
  }

  private void closeActive() {
    if (active == null) {
      return;
    }
    try {
      if (!config.fsync().equals("never")) {
        active.force(false);
      }
      active.close();
    } catch (IOException e) {
      LOG.error("journal: closing a segment failed: {}", e.toString());
    }
    active = null;
  }

  private void failQueued() {
    List<Task> late = new ArrayList<>();
    queue.drainTo(late);
    for (Task task : late) {
      CompletableFuture<Void> done = task instanceof Append a ? a.done()
          : task instanceof Run r ? r.done() : ((Close) task).done();
      done.completeExceptionally(new StoreException("the journal is closed"));
    }
  }
}
