package dev.hookbus.store;

import dev.hookbus.config.AppConfig;
import dev.hookbus.config.StoreConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class GroupCommitTest {
  @TempDir
  Path dir;

  private Journal open(String fsync) {
    StoreConfig config = AppConfig.defaults().withStorePath(dir.toString()).store().withFsync(fsync);
    return Journal.open(config, Disk.REAL);
  }

  private static List<JournalRecord> one(long seq) {
    return List.of(new JournalRecord(seq, seq, 1, ("{\"n\":" + seq + "}").getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  @DisplayName("one append at a time: each gets an fsync of its own, and the figures count them")
  void loneAppends() {
    Journal journal = open("batch");
    for (long seq = 1; seq <= 5; seq++) {
      journal.append(one(seq)).join();
    }
    SyncStats stats = journal.syncStats();
    assertThat(stats.fsyncs()).isEqualTo(5);
    assertThat(stats.appends()).isEqualTo(5);
    assertThat(stats.fsyncNanos()).isPositive();
    journal.close().join();
  }

  @Test
  @DisplayName("appends in flight together share fsyncs, in both syncing modes, and all are durable once acked")
  void appendsInFlightShare() {
    for (String mode : List.of("batch", "always")) {
      Journal journal = open(mode);
      long first = journal.durableSeq() + 1;
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      for (long seq = first; seq < first + 200; seq++) {
        acks.add(journal.append(one(seq)));
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
      SyncStats stats = journal.syncStats();
      assertThat(stats.appends()).as(mode).isEqualTo(200);
      assertThat(stats.fsyncs()).as(mode).isLessThan(200);
      assertThat(journal.durableSeq()).as(mode).isEqualTo(first + 199);
      journal.close().join();
    }
  }
}
