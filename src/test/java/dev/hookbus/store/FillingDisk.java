package dev.hookbus.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/** A disk that can be made full: then each write gets half its bytes down and fails, as a real ENOSPC does. */
final class FillingDisk implements Disk {
  private final AtomicBoolean full = new AtomicBoolean();

  void full(boolean isFull) {
    full.set(isFull);
  }

  @Override
  public void write(FileChannel channel, ByteBuffer buffer) throws IOException {
    if (full.get()) {
      buffer.limit(buffer.position() + buffer.remaining() / 2);
      Disk.REAL.write(channel, buffer);
      throw new IOException("No space left on device");
    }
    Disk.REAL.write(channel, buffer);
  }
}
