package dev.hookbus.bench;

/**
 * Reads what the benchmark needs from a SockJS {@code a[...]} frame without building JSON objects: on a shared
 * 2-core machine, two full JSON parses per delivery (100 000 deliveries a second at 1 000 subscribers) would take
 * CPU from the server being measured. Messages are found by their string boundaries (an unescaped quote); fields
 * by their escaped key ({@code \"seq\":}). Anything it does not recognise is left to a full parse.
 */
final class FrameScanner {
  private static final String TYPE_REC = "{\\\"type\\\":\\\"rec\\\"";
  private static final String BODY = "\\\"body\\\":{\\\"seq\\\":";

  /** The fields of one generated envelope, or {@code seq < 0} when the message was not one. */
  static final class Fields {
    long seq = -1;
    long gen = -1;
    long lane;
    long laneSeq;
    long sentAtNanos;
    boolean warm;
    boolean big;
  }

  interface Sink {
    void envelope(Fields fields);

    /** A message the scanner did not recognise, as the JSON string it was in the frame. */
    void other(String jsonString);
  }

  private FrameScanner() {
  }

  /** Walks the messages of {@code frame} (which starts with {@code a[}). */
  static void scan(String frame, Sink sink) {
    int start = -1;
    for (int i = 2; i < frame.length(); i++) {
      char c = frame.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        if (start < 0) {
          start = i;
        } else {
          message(frame, start, i + 1, sink);
          start = -1;
        }
      }
    }
  }

  private static void message(String frame, int from, int to, Sink sink) {
    Fields f = new Fields();
    if (frame.startsWith(TYPE_REC, from + 1)) {
      int body = frame.indexOf(BODY, from);
      if (body > 0 && body < to) {
        f.seq = number(frame, body + BODY.length(), to);
        f.gen = field(frame, "\\\"gen\\\":", from, to);
      }
    }
    if (f.seq < 0 || f.gen < 0) {
      sink.other(frame.substring(from, to));
      return;
    }
    f.lane = field(frame, "\\\"lane\\\":", from, to);
    f.laneSeq = field(frame, "\\\"laneSeq\\\":", from, to);
    f.sentAtNanos = field(frame, "\\\"sentAtNanos\\\":", from, to);
    f.warm = frame.startsWith("true", after(frame, "\\\"warm\\\":", from, to));
    int big = after(frame, "\\\"big\\\":", from, to);
    f.big = big > 0 && frame.startsWith("true", big);
    sink.envelope(f);
  }

  private static int after(String frame, String key, int from, int to) {
    int at = frame.indexOf(key, from);
    return at < 0 || at >= to ? -1 : at + key.length();
  }

  private static long field(String frame, String key, int from, int to) {
    int at = after(frame, key, from, to);
    return at < 0 ? -1 : number(frame, at, to);
  }

  private static long number(String frame, int at, int to) {
    boolean negative = at < to && frame.charAt(at) == '-';
    int i = negative ? at + 1 : at;
    long value = 0;
    int digits = 0;
    for (; i < to && Character.isDigit(frame.charAt(i)); i++, digits++) {
      value = value * 10 + (frame.charAt(i) - '0');
    }
    return digits == 0 ? -1 : negative ? -value : value;
  }
}
