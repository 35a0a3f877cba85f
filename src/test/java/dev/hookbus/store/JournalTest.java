package dev.hookbus.store;

import dev.hookbus.config.AppConfig;
import dev.hookbus.config.StoreConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalTest {
  @TempDir
  Path dir;

  private StoreConfig config(String fsync) {
    return AppConfig.defaults().withStorePath(dir.toString()).store().withFsync(fsync);
  }

  private static JournalRecord record(long seq, long time) {
    return new JournalRecord(seq, seq, time, ("{\"n\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
  }

  private static void append(Journal journal, long from, long to, long time) {
    List<JournalRecord> records = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) {
      records.add(record(seq, time));
    }
    journal.append(records).join();
  }

  private static List<Long> seqs(Journal journal, long from) {
    List<Long> seqs = new ArrayList<>();
    journal.read(from, r -> seqs.add(r.firstSeq()));
    return seqs;
  }

  @Test
  @DisplayName("records survive a reopen, in order, and reads stop at the durable seq")
  void reopen() {
    for (String mode : List.of("always", "batch", "never")) {
      Path sub = dir.resolve(mode);
      Journal journal = Journal.open(config(mode).withPath(sub.toString()), Disk.REAL);
      append(journal, 1, 50, 1);
      assertThat(journal.durableSeq()).isEqualTo(50);
      journal.close().join();
      Journal again = Journal.open(config(mode).withPath(sub.toString()), Disk.REAL);
      assertThat(again.durableSeq()).isEqualTo(50);
      assertThat(seqs(again, 48)).containsExactly(48L, 49L, 50L);
      append(again, 51, 51, 1);
      assertThat(seqs(again, 50)).containsExactly(50L, 51L);
      again.close().join();
    }
  }

  @Test
  @DisplayName("reads from any seq start at the right record, before and after a reopen (sparse offset index)")
  void readFromAnySeq() {
    Journal journal = Journal.open(config("never"), Disk.REAL);
    for (long seq = 1; seq <= 30_000; seq += 1000) {
      append(journal, seq, seq + 999, 1);
    }
    for (Journal j : List.of(journal, reopen(journal))) {
      for (long from : List.of(1L, 2L, 4_097L, 17_333L, 29_999L, 30_000L)) {
        List<Long> got = new ArrayList<>();
        j.read(from, r -> got.add(r.firstSeq()) && got.size() < 3);
        assertThat(got.get(0)).isEqualTo(from);
      }
      assertThat(seqs(j, 1)).hasSize(30_000);
    }
  }

  private Journal reopen(Journal journal) {
    journal.close().join();
    return Journal.open(config("never"), Disk.REAL);
  }

  @Test
  @DisplayName("a torn tail is cut off at open, everything before it is kept and the journal goes on from there")
  void tornTail() throws IOException {
    Journal journal = Journal.open(config("always"), Disk.REAL);
    append(journal, 1, 10, 1);
    journal.close().join();
    Path segment = segments().get(0);
    long goodSize = Files.size(segment);
    ByteBuffer half = RecordCodec.encode(record(11, 1));
    half.limit(half.limit() / 2);
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.APPEND)) {
      channel.write(half);
    }
    Journal reopened = Journal.open(config("always"), Disk.REAL);
    assertThat(reopened.durableSeq()).isEqualTo(10);
    assertThat(Files.size(segment)).isEqualTo(goodSize);
    assertThat(seqs(reopened, 1)).hasSize(10);
    append(reopened, 11, 11, 1);
    assertThat(seqs(reopened, 11)).containsExactly(11L);
    reopened.close().join();
  }

  @Test
  @DisplayName("a record with a flipped byte fails its checksum: it and everything after it are dropped")
  void corruptRecord() throws IOException {
    Journal journal = Journal.open(config("always"), Disk.REAL);
    append(journal, 1, 3, 1);
    journal.close().join();
    Path segment = segments().get(0);
    long recordSize = RecordCodec.size(record(1, 1));
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(new byte[] {'X'}), 2 * recordSize + RecordCodec.HEADER + 1);
    }
    Journal reopened = Journal.open(config("always"), Disk.REAL);
    assertThat(seqs(reopened, 1)).containsExactly(1L, 2L);
    reopened.close().join();
  }

  @Test
  @DisplayName("a write that fails half-way (disk full) is cut back off; the next write continues at the same seq")
  void diskFull() throws IOException {
    FillingDisk disk = new FillingDisk();
    Journal journal = Journal.open(config("batch"), disk);
    append(journal, 1, 5, 1);
    long size = Files.size(segments().get(0));
    disk.full(true);
    assertThatThrownBy(() -> append(journal, 6, 8, 1)).isInstanceOf(CompletionException.class)
        .hasMessageContaining("No space left");
    assertThatThrownBy(() -> append(journal, 9, 9, 1)).hasMessageContaining("does not follow 5");
    assertThat(Files.size(segments().get(0))).isEqualTo(size);
    disk.full(false);
    append(journal, 6, 6, 1);
    assertThat(seqs(journal, 1)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    journal.close().join();
  }

  @Test
  @DisplayName("retention deletes whole old segments past maxEvents or retentionDays, never the newest")
  void retention() throws IOException {
    StoreConfig small = config("never").withLimits(100, 7);
    Journal journal = Journal.open(small, Disk.REAL);
    long old = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(30);
    append(journal, 1, 12, old);
    append(journal, 13, 24, old);
    append(journal, 25, 40, System.currentTimeMillis());
    assertThat(segments()).hasSizeGreaterThan(2);
    journal.enforceRetention(System.currentTimeMillis()).join();
    // 13..24 is old too, but only the next segment's first record proves that all of a segment is old
    assertThat(journal.firstSeq()).isEqualTo(13);
    assertThat(seqs(journal, 1).get(0)).isEqualTo(13L);
    for (long seq = 41; seq <= 400; seq += 10) {
      append(journal, seq, seq + 9, System.currentTimeMillis());
    }
    journal.enforceRetention(System.currentTimeMillis()).join();
    List<Long> kept = seqs(journal, 1);
    assertThat(kept.get(kept.size() - 1)).isEqualTo(400L);
    assertThat(kept.size()).isBetween(100, 100 + 100 / 8 + 10);
    journal.close().join();
  }

  @Test
  @DisplayName("a checkpoint survives a reopen; a damaged one, or one beyond the journal, is ignored")
  void checkpoint() throws IOException {
    Journal journal = Journal.open(config("always"), Disk.REAL);
    append(journal, 1, 20, 1);
    assertThat(journal.checkpoint()).isEmpty();
    assertThatThrownBy(() -> journal.writeCheckpoint(new Checkpoint(21, new byte[0])))
        .isInstanceOf(IllegalArgumentException.class);
    journal.writeCheckpoint(new Checkpoint(15, "state at 15".getBytes(StandardCharsets.UTF_8)));
    assertThat(journal.checkpoint().orElseThrow().seq()).isEqualTo(15);
    Journal again = reopen(journal);
    assertThat(again.checkpoint().orElseThrow().seq()).isEqualTo(15);
    assertThat(new String(again.checkpoint().orElseThrow().body(), StandardCharsets.UTF_8)).isEqualTo("state at 15");
    again.close().join();

    Path file = dir.resolve(Checkpoint.FILE);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 1;
    Files.write(file, bytes);
    Journal damaged = Journal.open(config("always"), Disk.REAL);
    assertThat(damaged.checkpoint()).isEmpty();
    damaged.close().join();

    Checkpoint.write(dir, new Checkpoint(99, new byte[] {1}));
    Journal beyond = Journal.open(config("always"), Disk.REAL);
    assertThat(beyond.checkpoint()).isEmpty();
    beyond.close().join();
  }

  @Test
  @DisplayName("retention never deletes a segment holding records after the checkpoint: a start needs them")
  void retentionKeepsWhatFollowsTheCheckpoint() throws IOException {
    StoreConfig small = config("never").withLimits(100, 7);
    Journal journal = Journal.open(small, Disk.REAL);
    long now = System.currentTimeMillis();
    for (long seq = 1; seq <= 400; seq += 10) {
      append(journal, seq, seq + 9, now);
    }
    journal.writeCheckpoint(new Checkpoint(50, new byte[0]));
    journal.enforceRetention(now).join();
    assertThat(journal.firstSeq()).isLessThanOrEqualTo(51);
    journal.writeCheckpoint(new Checkpoint(400, new byte[0]));
    journal.enforceRetention(now).join();
    assertThat(journal.firstSeq()).isGreaterThan(200);
    journal.close().join();
  }

  @Test
  @DisplayName("a store path that is not a writable directory fails the open with a message naming it")
  void unwritable() throws IOException {
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    assertThatThrownBy(() -> Journal.open(config("batch").withPath(file.resolve("data").toString()), Disk.REAL))
        .isInstanceOf(StoreException.class).hasMessageContaining("is not a writable directory")
        .hasMessageContaining("plain-file");
  }

  @Test
  @DisplayName("a second hookbus on the same store path is refused until the first closes the journal")
  void oneWriterPerStore() {
    Journal first = Journal.open(config("batch"), Disk.REAL);
    assertThatThrownBy(() -> Journal.open(config("batch"), Disk.REAL))
        .isInstanceOf(StoreException.class).hasMessageContaining("in use by another hookbus");
    first.close().join();
    Journal.open(config("batch"), Disk.REAL).close().join();
  }

  @Test
  @DisplayName("the epoch stays with the store and changes when the store is wiped")
  void epoch() throws IOException {
    Journal first = Journal.open(config("batch"), Disk.REAL);
    String epoch = first.epoch();
    first.close().join();
    Journal same = Journal.open(config("batch"), Disk.REAL);
    assertThat(same.epoch()).isEqualTo(epoch);
    same.close().join();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Journal wiped = Journal.open(config("batch"), Disk.REAL);
    assertThat(wiped.epoch()).isNotEqualTo(epoch);
    wiped.close().join();
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(Segments.SUFFIX)).sorted().toList();
    }
  }
}
