package dev.hookbus.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One browser-like subscriber: a SockJS session over WebSocket ({@code /eventbus/<server>/<session>/websocket},
 * frames {@code o}, {@code h}, {@code a[...]}, {@code c[...]}), registered on one address, checking every
 * envelope it gets: seq must increase, each generated event must arrive once, and events one generator lane sent
 * one after the other must arrive in that order.
 */
final class SockJsSubscriber {
  private static final String PING = "[\"{\\\"type\\\":\\\"ping\\\"}\"]";
  private static final long PING_INTERVAL_MS = 5_000;

  private final Deliveries deliveries;
  private final Promise<Void> opened = Promise.promise();
  private final BitSet seen = new BitSet();
  private long[] laneNext = new long[64];
  private WebSocket socket;
  private Vertx vertx;
  private long pingTimer = -1;
  private long lastSeq;
  private long received;
  private long duplicated;
  private long outOfOrderBySeq;
  private long outOfOrderByGen;
  private long seqGaps;
  private long errors;
  private boolean closed;

  private SockJsSubscriber(Deliveries deliveries) {
    this.deliveries = deliveries;
  }

  /**
   * Connects, waits for the SockJS open frame, registers on {@code address} (if not null) and from then on pings
   * every 5 s as the official client does (the bridge closes sockets silent for longer than its ping timeout).
   */
  static Future<SockJsSubscriber> connect(Vertx vertx, WebSocketClient client, int port, String address,
                                          Deliveries deliveries, String token) {
    SockJsSubscriber subscriber = new SockJsSubscriber(deliveries);
    subscriber.vertx = vertx;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String uri = String.format("/eventbus/%03d/%016x/websocket", random.nextInt(1000), random.nextLong())
        + BenchAuth.query(token);
    // Handlers go on before the handshake: the SockJS open frame can arrive in the same read as the handshake's
    // answer, before a callback on connect() would run.
    ClientWebSocket ws = client.webSocket();
    subscriber.socket = ws;
    ws.textMessageHandler(subscriber::onText);
    ws.closeHandler(v -> subscriber.onClose("the WebSocket closed"));
    return ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri))
        .compose(connected -> subscriber.opened.future())
        .onSuccess(v -> subscriber.pingTimer = vertx.setPeriodic(PING_INTERVAL_MS, id -> subscriber.ping()))
        .compose(v -> address == null ? Future.succeededFuture() : subscriber.send(
            new JsonObject().put("type", "register").put("address", address)))
        .map(subscriber);
  }

  private void ping() {
    if (!closed()) {
      socket.writeTextMessage(PING);
    }
  }

  Future<Void> send(JsonObject frame) {
    return socket.writeTextMessage(new JsonArray().add(frame.encode()).encode());
  }

  Future<Void> close() {
    vertx.cancelTimer(pingTimer);
    return socket.close();
  }

  private void onText(String text) {
    switch (text.charAt(0)) {
      case 'o' -> opened.tryComplete();
      case 'a' -> onMessages(text, System.nanoTime());
      case 'c' -> onClose("SockJS close frame " + text);
      default -> {
        // 'h': SockJS heartbeat
      }
    }
  }

  private synchronized void onMessages(String frame, long now) {
    FrameScanner.scan(frame, new FrameScanner.Sink() {
      @Override
      public void envelope(FrameScanner.Fields f) {
        onEnvelope(f, now);
      }

      @Override
      public void other(String jsonString) {
        onOther(new JsonObject((String) Json.decodeValue(jsonString)), now);
      }
    });
  }

  /** A message the scanner left alone: parsed in full. */
  private void onOther(JsonObject frame, long now) {
    if ("err".equals(frame.getString("type"))) {
      errors++;
      return;
    }
    if (!"rec".equals(frame.getString("type")) || !(frame.getValue("body") instanceof JsonObject envelope)) {
      return;
    }
    FrameScanner.Fields f = new FrameScanner.Fields();
    f.seq = envelope.getLong("seq");
    JsonObject payload = envelope.getJsonObject("payload");
    if (payload != null && !payload.containsKey("gen") && payload.getValue("hook") instanceof JsonObject hook) {
      payload = hook; // /api/hooks/claude keeps fields it does not know under payload.hook
    }
    if (payload != null && payload.getValue("gen") instanceof Number gen) {
      f.gen = gen.longValue();
      f.lane = payload.getLong("lane");
      f.laneSeq = payload.getLong("laneSeq");
      f.sentAtNanos = payload.getLong("sentAtNanos");
      f.warm = payload.getBoolean("warm", false);
      f.big = payload.getBoolean("big", false);
    }
    onEnvelope(f, now);
  }

  private void onEnvelope(FrameScanner.Fields f, long now) {
    if (f.seq <= lastSeq) {
      outOfOrderBySeq++;
    } else {
      if (lastSeq > 0 && f.seq > lastSeq + 1) {
        seqGaps += f.seq - lastSeq - 1;
      }
      lastSeq = f.seq;
    }
    if (f.gen < 0) {
      return;
    }
    int g = (int) f.gen;
    if (seen.get(g)) {
      duplicated++;
      return;
    }
    seen.set(g);
    received++;
    int lane = (int) f.lane;
    if (lane >= laneNext.length) {
      laneNext = Arrays.copyOf(laneNext, lane * 2 + 1);
    }
    if (f.laneSeq < laneNext[lane]) {
      outOfOrderByGen++;
    } else {
      laneNext[lane] = f.laneSeq + 1;
    }
    if (!f.warm) {
      deliveries.record(f.big, now - f.sentAtNanos);
    }
  }

  private synchronized void onClose(String why) {
    closed = true;
    if (pingTimer >= 0) {
      vertx.cancelTimer(pingTimer);
    }
    opened.tryFail("closed before the SockJS open frame: " + why);
  }

  synchronized boolean closed() {
    return closed;
  }

  synchronized long received() {
    return received;
  }

  /** Adds this subscriber's counters to {@code totals}; {@code accepted} are the gens the server accepted. */
  synchronized void addTo(Deliveries.Totals totals, BitSet accepted) {
    BitSet missing = (BitSet) accepted.clone();
    missing.andNot(seen);
    totals.add(received, missing.cardinality(), duplicated, outOfOrderBySeq, outOfOrderByGen, seqGaps, errors,
        closed);
  }
}
