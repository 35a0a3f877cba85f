// The benchmark's browser-like subscribers, N of them in this one Node process, driven by the Java orchestrator
// (dev.hookbus.bench.NodeSubscribers). Argument: one JSON object
//   {"server":"hookbus"|"peer", "url":"http://127.0.0.1:PORT", "count":N, "address":"hookbus.events", "query":""}
// hookbus: the official @vertx/eventbus-bridge-client.js over sockjs-client, WebSocket transport, as the dashboard.
// peer (the seed design's Bun + Socket.IO server): socket.io-client, WebSocket transport, one connection each.
// Every subscriber checks what it gets exactly as the Java subscriber does: seq increasing (hookbus only: the peer
// has none), each generated event once (gen), each generator lane in order (lane/laneSeq), and the end-to-end
// latency from the generator's wall-clock send time (sentAtEpochUs) to receipt here, on the same machine's clock.
//
// stdout, one JSON line each: {"event":"ready","connected":N} once all are connected (and, for hookbus, registered),
// {"event":"progress","received":R,"closed":C} every 200 ms, and, after the stdin line {"cmd":"summary",
// "accepted":"<base64 of java.util.BitSet.toByteArray()>"}, {"event":"summary",…}; then it closes and exits.
import EventBus from "@vertx/eventbus-bridge-client.js";
import { io } from "socket.io-client";
import { createInterface } from "node:readline";
import { monitorEventLoopDelay } from "node:perf_hooks";

const options = JSON.parse(process.argv[2]);
const CONNECT_AT_ONCE = 100;
const PEER_EVENT_TYPES = ["tool:pre", "tool:post", "skill:use", "session:start", "session:end", "context:update"];

/** Microseconds since the epoch, sub-millisecond (Date.now() has only milliseconds). */
function nowEpochUs() {
  return (performance.timeOrigin + performance.now()) * 1000;
}

/** Latencies in µs, kept to 3 significant digits: a sparse histogram Java adds into an HdrHistogram. */
class Latencies {
  counts = new Map();

  record(us) {
    let v = Math.max(1, Math.round(us));
    if (v >= 1000) {
      const scale = 10 ** (Math.floor(Math.log10(v)) - 2);
      v = Math.round(v / scale) * scale;
    }
    this.counts.set(v, (this.counts.get(v) ?? 0) + 1);
  }

  addTo(totals) {
    for (const [v, n] of this.counts) totals.counts.set(v, (totals.counts.get(v) ?? 0) + n);
  }
}

// How late this process's event loop runs: when it is behind, the end-to-end latency is partly the subscribers'.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
const small = new Latencies();
const big = new Latencies();

class Subscriber {
  seen = new Uint8Array(1024);
  laneNext = [];
  lastSeq = 0;
  received = 0;
  duplicated = 0;
  outOfOrderBySeq = 0;
  outOfOrderByGen = 0;
  seqGaps = 0;
  errors = 0;
  closed = false;

  onSeq(seq) {
    if (seq <= this.lastSeq) {
      this.outOfOrderBySeq++;
      return;
    }
    if (this.lastSeq > 0 && seq > this.lastSeq + 1) this.seqGaps += seq - this.lastSeq - 1;
    this.lastSeq = seq;
  }

  /** The generator's marks, from a hookbus envelope's payload or a peer event's payload. */
  onPayload(p, now) {
    if (p && typeof p.gen !== "number" && p.hook && typeof p.hook === "object") p = p.hook;
    if (!p || typeof p.gen !== "number") return;
    const g = p.gen;
    if (g >> 3 >= this.seen.length) {
      const grown = new Uint8Array(Math.max(this.seen.length * 2, (g >> 3) + 1));
      grown.set(this.seen);
      this.seen = grown;
    }
    const bit = 1 << (g & 7);
    if (this.seen[g >> 3] & bit) {
      this.duplicated++;
      return;
    }
    this.seen[g >> 3] |= bit;
    this.received++;
    if (p.laneSeq < (this.laneNext[p.lane] ?? 0)) this.outOfOrderByGen++;
    else this.laneNext[p.lane] = p.laneSeq + 1;
    if (!p.warm) (p.big ? big : small).record(now - p.sentAtEpochUs);
  }

  missing(accepted) {
    let missing = 0;
    for (let i = 0; i < accepted.length; i++) {
      const want = accepted[i] & ~(this.seen[i] ?? 0);
      for (let b = want; b; b &= b - 1) missing++;
    }
    return missing;
  }
}

function connectHookbus(subscriber) {
  return new Promise((resolve, reject) => {
    const eb = new EventBus(`${options.url}/eventbus${options.query ?? ""}`, {
      transports: ["websocket"],
      // sockjs-client gives a transport max(4 s, a few info round trips) to open; thousands of handshakes on a
      // shared 2-core machine take longer than that, and a browser opens one.
      timeout: 60000,
      vertxbus_ping_interval: 5000,
    });
    subscriber.close = () => eb.close();
    eb.onerror = () => subscriber.errors++;
    eb.onclose = (e) => {
      subscriber.closed = true;
      reject(new Error(`closed before open: ${e?.code} ${e?.reason}`));
    };
    eb.onopen = () => {
      eb.registerHandler(options.address, (err, message) => {
        if (err) {
          subscriber.errors++;
          return;
        }
        const now = nowEpochUs();
        const envelope = message.body;
        if (typeof envelope?.seq === "number") subscriber.onSeq(envelope.seq);
        subscriber.onPayload(envelope?.payload, now);
      });
      resolve();
    };
  });
}

function connectPeer(subscriber) {
  return new Promise((resolve, reject) => {
    const socket = io(options.url, { transports: ["websocket"], forceNew: true, reconnection: false,
      timeout: 60000 });
    subscriber.close = () => socket.close();
    const onEvent = (event) => subscriber.onPayload(event?.payload, nowEpochUs());
    for (const type of PEER_EVENT_TYPES) socket.on(type, onEvent);
    // A socket gets state:sync once the server has it in the set io.emit reaches.
    socket.once("state:sync", () => resolve());
    socket.on("connect_error", (e) => {
      subscriber.errors++;
      reject(e);
    });
    socket.on("disconnect", () => (subscriber.closed = true));
  });
}

const subscribers = [];
const connect = options.server === "peer" ? connectPeer : connectHookbus;

function print(line) {
  process.stdout.write(JSON.stringify(line) + "\n");
}

async function connectAll() {
  for (let first = 0; first < options.count; first += CONNECT_AT_ONCE) {
    const batch = [];
    for (let i = first; i < Math.min(options.count, first + CONNECT_AT_ONCE); i++) {
      const s = new Subscriber();
      subscribers.push(s);
      batch.push(connect(s));
    }
    await Promise.all(batch);
  }
  print({ event: "ready", connected: subscribers.length });
  loopDelay.enable();
}

function summary(acceptedBase64) {
  const accepted = new Uint8Array(Buffer.from(acceptedBase64 ?? "", "base64"));
  const totals = { event: "summary", received: 0, lost: 0, duplicated: 0, outOfOrderBySeq: 0, outOfOrderByGen: 0,
    seqGaps: 0, errorFrames: 0, closedSockets: 0 };
  for (const s of subscribers) {
    totals.received += s.received;
    totals.lost += s.missing(accepted);
    totals.duplicated += s.duplicated;
    totals.outOfOrderBySeq += s.outOfOrderBySeq;
    totals.outOfOrderByGen += s.outOfOrderByGen;
    totals.seqGaps += s.seqGaps;
    totals.errorFrames += s.errors;
    totals.closedSockets += s.closed ? 1 : 0;
  }
  loopDelay.disable();
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  totals.loopDelayMs = { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) };
  totals.latencyUs = [...small.counts];
  totals.latencyBigUs = [...big.counts];
  print(totals);
}

const progress = setInterval(() => {
  let received = 0;
  let closed = 0;
  for (const s of subscribers) {
    received += s.received;
    closed += s.closed ? 1 : 0;
  }
  print({ event: "progress", received, closed });
}, 200);

createInterface({ input: process.stdin }).on("line", (line) => {
  const command = JSON.parse(line);
  if (command.cmd === "summary") {
    summary(command.accepted);
    clearInterval(progress);
    for (const s of subscribers) s.close?.();
    setTimeout(() => process.exit(0), 200);
  }
});
process.stdin.on("end", () => process.exit(0));

connectAll().catch((e) => {
  print({ event: "failed", error: String(e?.message ?? e) });
  process.exit(1);
});
