package dev.hookbus.bridge;

import com.fasterxml.jackson.core.io.CharTypes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;

import java.util.List;

/**
 * SockJS framing as vertx-web's {@code SockJSSession} and {@code JsonCodec} write it: {@code o} opens,
 * {@code h} is a heartbeat, {@code a[…]} carries messages (a JSON array of strings) and {@code c[code,"reason"]}
 * closes. Inside {@code a[…]} every character outside printable ASCII is escaped ({@code \\uXXXX}, or the short
 * escapes JSON has), as SockJS requires: some browsers mangle the raw characters, so a frame is pure ASCII.
 */
final class SockJsFraming {
  static final Buffer OPEN = Buffer.buffer("o");
  static final Buffer HEARTBEAT = Buffer.buffer("h");
  /** What vertx-web's sessions say when the application closes them. */
  static final int GO_AWAY_CODE = 3000;
  static final String GO_AWAY_REASON = "Go away!";

  private static final int[] ESCAPES = CharTypes.get7BitOutputEscapes();
  private static final byte[] HEX = "0123456789abcdef".getBytes();

  private SockJsFraming() {
  }

  /** {@code a["<text escaped>"]}: one bridge frame as a SockJS message frame. */
  static Buffer messageFrame(String text) {
    Buffer frame = Buffer.buffer(text.length() + 16);
    frame.appendByte((byte) 'a').appendByte((byte) '[');
    appendQuoted(frame, text);
    return frame.appendByte((byte) ']');
  }

  /** {@code a[<m1>,<m2>…]} from message frames made by {@link #messageFrame}: their quoted strings, joined. */
  static Buffer join(List<Buffer> messageFrames, int totalBytes) {
    Buffer frame = Buffer.buffer(totalBytes);
    frame.appendByte((byte) 'a').appendByte((byte) '[');
    for (int i = 0; i < messageFrames.size(); i++) {
      Buffer one = messageFrames.get(i);
      if (i > 0) {
        frame.appendByte((byte) ',');
      }
      frame.appendBuffer(one, 2, one.length() - 3);
    }
    return frame.appendByte((byte) ']');
  }

  static Buffer closeFrame(int code, String reason) {
    Buffer frame = Buffer.buffer("c[" + code + ",");
    appendQuoted(frame, reason);
    return frame.appendByte((byte) ']');
  }

  /**
   * The bridge frames in a client's text message: a JSON array of strings or one JSON string; an empty message
   * or {@code []} holds none. Null when the message is neither (the transport then closes the socket).
   */
  static List<String> decode(String message) {
    if (message.isEmpty() || message.equals("[]")) {
      return List.of();
    }
    try {
      if (message.startsWith("[\"") && message.endsWith("\"]")) {
        JsonArray array = new JsonArray(message);
        String[] texts = new String[array.size()];
        for (int i = 0; i < texts.length; i++) {
          if (!(array.getValue(i) instanceof String text)) {
            return null;
          }
          texts[i] = text;
        }
        return List.of(texts);
      }
      if (message.startsWith("\"") && message.endsWith("\"") && message.length() > 1) {
        return io.vertx.core.json.Json.decodeValue(message) instanceof String text ? List.of(text) : null;
      }
    } catch (DecodeException e) {
      return null;
    }
    return null;
  }

  private static void appendQuoted(Buffer out, String text) {
    out.appendByte((byte) '"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int code = c < ESCAPES.length ? ESCAPES[c] : -1;
      if (code == 0) {
        out.appendByte((byte) c);
      } else if (code == -1) {
        out.appendByte((byte) '\\').appendByte((byte) 'u')
            .appendByte(HEX[(c >> 12) & 0xF]).appendByte(HEX[(c >> 8) & 0xF])
            .appendByte(HEX[(c >> 4) & 0xF]).appendByte(HEX[c & 0xF]);
      } else {
        out.appendByte((byte) '\\').appendByte((byte) code);
      }
    }
    out.appendByte((byte) '"');
  }
}
