package dev.hookbus.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.Histogram;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

/**
 * The hooks: POSTs events to {@code /api/events} (or raw Claude Code hook JSON to {@code /api/hooks/claude}) over keep-alive connections, each connection a "lane" that
 * sends its next event only after the previous reply (like a hook process would), at a fixed rate or as fast as
 * the lanes go. Big Write events, if any, use a lane and connection of their own. All on one event loop.
 * Latencies are measured from the moment the request went out, as a hook process would see them; how late
 * sends went out against their schedule (all lanes busy, or the generator starved) is reported as the send lag.
 */
final class HookLoad {
  private static final int SESSIONS = 4;
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(2);

  final Histogram replySmall = new Histogram(MAX_MICROS, 3);
  final Histogram replyBig = new Histogram(MAX_MICROS, 3);
  final Histogram sendLag = new Histogram(MAX_MICROS, 3);
  final BitSet acceptedGens = new BitSet();
  long sent;
  long sentBig;
  long accepted;
  long failed;
  /** 503 answers (OVERLOADED: hookbus pushing back) and when the first and the last came, from the start. */
  long overloaded;
  double firstOverloadedS = -1;
  double lastOverloadedS = -1;
  long acceptedMeasured;

  private final Vertx vertx;
  private final int port;
  private final BenchOptions options;
  private final String bigContent;
  private final boolean claude;
  private final Lane[] lanes;
  private final ArrayDeque<Lane> idleLanes = new ArrayDeque<>();
  private final ArrayDeque<Long> due = new ArrayDeque<>();
  private final ArrayDeque<Long> dueBig = new ArrayDeque<>();
  private final Promise<Void> done = Promise.promise();
  private HttpClient small;
  private HttpClient big;
  private long startNanos;
  private long warmEndNanos;
  private long endNanos;
  private long scheduled;
  private long scheduledBig;
  private int gen;
  private int inFlight;
  private boolean stopped;
  private boolean bigLaneIdle = true;

  private static final class Lane {
    final int index;
    long seq;

    Lane(int index) {
      this.index = index;
    }
  }

  HookLoad(Vertx vertx, int port, BenchOptions options) {
    this.vertx = vertx;
    this.port = port;
    this.options = options;
    this.claude = options.route().equals("claude");
    this.bigContent = options.bigRate() > 0 ? WriteContent.jsonString(options.bigBytes()) : null;
    this.lanes = new Lane[options.concurrency() + 1];
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new Lane(i);
    }
  }

  /** Runs the whole load (warmup, then the measured part) and completes when the last reply is in. */
  Future<Void> run() {
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> start());
    return done.future();
  }

  double measuredSeconds() {
    return (endNanos - warmEndNanos) / 1e9;
  }

  private void start() {
    small = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(options.concurrency()));
    big = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(1));
    startNanos = System.nanoTime();
    warmEndNanos = startNanos + (long) (options.warmupSeconds() * 1e9);
    endNanos = warmEndNanos + (long) (options.durationSeconds() * 1e9);
    for (int i = 0; i < options.concurrency(); i++) {
      idleLanes.add(lanes[i]);
    }
    if (options.rate() == 0) {
      while (!idleLanes.isEmpty()) {
        send(idleLanes.poll(), System.nanoTime());
      }
    }
    if (options.rate() > 0 || options.bigRate() > 0) {
      vertx.setPeriodic(1, id -> tick(id));
    }
  }

  private void tick(long timerId) {
    long now = System.nanoTime();
    long until = Math.min(now, endNanos);
    long elapsed = until - startNanos;
    if (options.rate() > 0) {
      for (long n = elapsed * options.rate() / 1_000_000_000L; scheduled < n; scheduled++) {
        due.add(startNanos + scheduled * 1_000_000_000L / options.rate());
      }
      while (!due.isEmpty() && !idleLanes.isEmpty()) {
        send(idleLanes.poll(), due.poll());
      }
    }
    if (options.bigRate() > 0) {
      for (long n = elapsed * options.bigRate() / 1_000_000_000L; scheduledBig < n; scheduledBig++) {
        dueBig.add(startNanos + scheduledBig * 1_000_000_000L / options.bigRate());
      }
      sendBigIfIdle();
    }
    if (now >= endNanos && due.isEmpty() && dueBig.isEmpty()) {
      vertx.cancelTimer(timerId);
      stopped = true;
      finishIfIdle();
    }
  }

  private void sendBigIfIdle() {
    if (bigLaneIdle && !dueBig.isEmpty()) {
      bigLaneIdle = false;
      send(lanes[options.concurrency()], dueBig.poll());
    }
  }

  private void send(Lane lane, long dueAt) {
    boolean isBig = lane.index == options.concurrency();
    long sentAt = System.nanoTime();
    int g = gen++;
    long laneSeq = lane.seq++;
    boolean warm = dueAt < warmEndNanos;
    if (!warm) {
      sendLag.recordValue(Math.max(0, Math.min(MAX_MICROS, (sentAt - dueAt) / 1000)));
    }
    String session = "bench-" + lane.index % SESSIONS;
    String marks = "\"gen\":" + g + ",\"lane\":" + lane.index + ",\"laneSeq\":" + laneSeq
        + ",\"sentAtNanos\":" + sentAt + ",\"sentAtEpochUs\":" + epochMicros() + ",\"warm\":" + warm
        + (isBig ? ",\"big\":true" : "");
    String input = isBig ? "{\"file_path\":\"/tmp/bench/big.txt\",\"content\":" + bigContent + "}"
        : "{\"command\":\"ls -la\"}";
    String tool = isBig ? "Write" : "Bash";
    String body = claude
        ? "{\"hook_event_name\":\"PreToolUse\",\"session_id\":\"" + session + "\",\"tool_name\":\"" + tool
            + "\",\"tool_input\":" + input + "," + marks + "}"
        : "{\"type\":\"tool:pre\",\"payload\":{\"sessionId\":\"" + session + "\",\"toolName\":\"" + tool
            + "\",\"toolInput\":" + input + "," + marks + "}}";
    if (isBig) {
      sentBig++;
    }
    sent++;
    inFlight++;
    RequestOptions post = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI(claude ? "/api/hooks/claude" : "/api/events").putHeader("content-type", "application/json");
    if (options.token() != null) {
      post.putHeader("Authorization", BenchAuth.authorization(options.token()));
    }
    (isBig ? big : small).request(post)
        .compose(request -> request.send(Buffer.buffer(body)))
        .compose(response -> response.body().map(b -> response.statusCode()))
        .onComplete(result -> onReply(lane, isBig, g, warm, sentAt, result.succeeded() ? result.result() : 0));
  }

  /** Wall-clock µs, for subscribers in other processes (Node), which cannot read this JVM's nanoTime. */
  private static long epochMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private void onReply(Lane lane, boolean isBig, int g, boolean warm, long sentAt, int status) {
    long now = System.nanoTime();
    boolean ok = status == 200;
    inFlight--;
    if (status == 503) {
      overloaded++;
      lastOverloadedS = (now - startNanos) / 1e9;
      if (firstOverloadedS < 0) {
        firstOverloadedS = lastOverloadedS;
      }
    }
    if (ok) {
      accepted++;
      acceptedGens.set(g);
      if (!warm) {
        acceptedMeasured++;
        (isBig ? replyBig : replySmall).recordValue(Math.max(1, Math.min(MAX_MICROS, (now - sentAt) / 1000)));
      }
    } else {
      failed++;
    }
    if (isBig) {
      bigLaneIdle = true;
      sendBigIfIdle();
    } else if (options.rate() == 0) {
      if (now < endNanos) {
        send(lane, now);
      } else {
        stopped = true;
      }
    } else if (!due.isEmpty()) {
      send(lane, due.poll());
    } else {
      idleLanes.add(lane);
    }
    finishIfIdle();
  }

  private void finishIfIdle() {
    if (stopped && inFlight == 0 && (options.bigRate() == 0 || dueBig.isEmpty())) {
      small.close();
      big.close();
      done.tryComplete();
    }
  }
}
