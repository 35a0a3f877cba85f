package dev.hookbus.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The journal directory's checkpoint: an opaque state (the caller's bytes) as of {@code seq}, so a start replays
 * only the records after it. File {@code checkpoint}: {@code [length:int][crc32c:int][seq:long][body]}. Written to a
 * temporary file, synced, then renamed over the old one: a crash at any moment leaves the old checkpoint or the new
 * one, never half of one; a file that fails its CRC is ignored (the start then replays the whole journal).
 *
 * @param seq the last seq whose effect the body includes
 */
public record Checkpoint(long seq, byte[] body) {
  static final String FILE = "checkpoint";
  private static final int HEADER = 4 + 4 + 8;

  /** Blocking: call it on a worker. */
  static void write(Path dir, Checkpoint checkpoint) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(HEADER + checkpoint.body.length);
    buffer.putInt(checkpoint.body.length).putInt(0).putLong(checkpoint.seq).put(checkpoint.body);
    buffer.putInt(4, crc(buffer.array(), checkpoint.body.length));
    buffer.flip();
    Path tmp = dir.resolve(FILE + ".tmp");
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    try {
      Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
    }
    syncDirectory(dir);
  }

  /** The checkpoint in {@code dir}; empty when there is none or it is damaged. Blocking. */
  static Optional<Checkpoint> read(Path dir) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(dir.resolve(FILE));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (bytes.length < HEADER) {
      return Optional.empty();
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int length = buffer.getInt();
    int crc = buffer.getInt();
    if (length != bytes.length - HEADER || crc != crc(bytes, length)) {
      return Optional.empty();
    }
    long seq = buffer.getLong();
    byte[] body = new byte[length];
    buffer.get(body);
    return Optional.of(new Checkpoint(seq, body));
  }

  private static int crc(byte[] headerAndBody, int bodyLength) {
    CRC32C crc = new CRC32C();
    crc.update(headerAndBody, 8, 8 + bodyLength);
    return (int) crc.getValue();
  }

  /** Makes the rename itself durable; not every file system allows opening a directory, which is then skipped. */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // the rename is still atomic; it may just not survive a power cut yet
    }
  }
}
