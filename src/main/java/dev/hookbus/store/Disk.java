package dev.hookbus.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The journal's only write call, so a test can make the disk "full" (throw part-way through a record) without a
 * real full filesystem.
 */
@FunctionalInterface
public interface Disk {
  Disk REAL = (channel, buffer) -> {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  };

  void write(FileChannel channel, ByteBuffer buffer) throws IOException;
}
