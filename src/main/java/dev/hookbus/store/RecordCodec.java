package dev.hookbus.store;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * On-disk record: {@code [length:int][crc32c:int][firstSeq:long][lastSeq:long][time:long][body:length bytes]},
 * big-endian; the CRC covers everything after itself. A record that is cut short or fails its CRC is a torn write.
 */
final class RecordCodec {
  static final int HEADER = 4 + 4 + 8 + 8 + 8;
  static final int MAX_BODY = 256 * 1024 * 1024;

  private RecordCodec() {
  }

  static ByteBuffer encode(JournalRecord record) {
    ByteBuffer buffer = ByteBuffer.allocate(size(record));
    encode(record, buffer);
    return buffer.flip();
  }

  /** Writes the record at {@code into}'s position (a heap buffer with room for {@link #size}). */
  static void encode(JournalRecord record, ByteBuffer into) {
    byte[] body = record.body();
    int start = into.position();
    into.putInt(body.length).putInt(0).putLong(record.firstSeq()).putLong(record.lastSeq())
        .putLong(record.time()).put(body);
    CRC32C crc = new CRC32C();
    crc.update(into.array(), into.arrayOffset() + start + 8, HEADER - 8 + body.length);
    into.putInt(start + 4, (int) crc.getValue());
  }

  /** Reads the next record; null at a clean end of file. Throws {@link Torn} for a partial or corrupt record. */
  static JournalRecord read(DataInputStream in) throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    try {
      int length = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
      if (length < 0 || length > MAX_BODY) {
        throw new Torn("impossible length " + length);
      }
      int crc = in.readInt();
      byte[] rest = new byte[HEADER - 8 + length];
      in.readFully(rest);
      CRC32C check = new CRC32C();
      check.update(rest);
      if ((int) check.getValue() != crc) {
        throw new Torn("checksum mismatch");
      }
      ByteBuffer b = ByteBuffer.wrap(rest);
      long firstSeq = b.getLong();
      long lastSeq = b.getLong();
      long time = b.getLong();
      byte[] body = new byte[length];
      b.get(body);
      return new JournalRecord(firstSeq, lastSeq, time, body);
    } catch (EOFException e) {
      throw new Torn("cut short");
    }
  }

  static int size(JournalRecord record) {
    return HEADER + record.body().length;
  }

  /** A record that was not completely or correctly written. */
  static final class Torn extends IOException {
    Torn(String message) {
      super(message);
    }
  }
}
