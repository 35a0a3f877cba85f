package dev.hookbus.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The identity of one store: a random id kept in {@code <path>/epoch}. A wiped or replaced store has none (or
 * another), so clients that see a new epoch know its seqs are not the ones they counted and resync.
 */
final class Epoch {
  static final String FILE = "epoch";

  private Epoch() {
  }

  static String load(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (Files.exists(file)) {
      String epoch = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (!epoch.isEmpty()) {
        return epoch;
      }
    }
    String epoch = UUID.randomUUID().toString();
    Path tmp = dir.resolve(FILE + ".tmp");
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(StandardCharsets.UTF_8.encode(epoch + "\n"));
      channel.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(dir);
    return epoch;
  }

  /** Makes a new or renamed file's directory entry durable (Linux; a no-op where directories cannot be opened). */
  static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // not supported on this platform: the file data itself is still synced
    }
  }
}
