// The page's link to hookbus, over the official event-bus client (global EventBus from vendor/vertx-eventbus.js).
// It turns the bridge into an ordered, gap-free, duplicate-free stream of envelopes, as DESIGN.md describes:
// register first and buffer, ask hookbus.sync, apply the snapshot (seq S), then everything with seq > S.
// After a reconnect it asks hookbus.history for what it missed, page by page while the reply says more, or syncs
// again when history has moved on. Each envelope carries what it changed in the sessions' views, so the snapshot is
// read once per (re)connection that history cannot cover, never while events flow.

const EVENTS = 'hookbus.events';
const METRICS = 'hookbus.metrics';
const SYNC = 'hookbus.sync';
const HISTORY = 'hookbus.history';
// Registering here tells hookbus a person who may decide is watching: only then does it hold a PermissionRequest.
// The approval envelopes themselves arrive on hookbus.events with everything else, in seq order.
const APPROVALS = 'hookbus.approvals';
// Error frames of the bridge carry no reply address, so a failed request never calls back: time it out here.
const REQUEST_TIMEOUT_MS = 5000;
const RETRY_MS = 1000;
const RESYNCED_SHOWN_MS = 4000;
const PAGE_PACE_MS = 60;

export class Connection {
  /**
   * @param handlers onSnapshot(snapshot, {reset}), onEnvelope(env), onBacklog(envs), onGap(fromSeq, toSeq),
   *                 onMetrics(metrics), onStatus(state)
   */
  constructor(url, handlers) {
    this.url = url;
    this.h = handlers;
    this.lastSeq = 0;        // every envelope up to here was delivered, once
    this.synced = false;     // a snapshot was applied at least once
    this.mode = 'down';      // down | catching-up | live
    this.buffer = [];
    this.generation = 0;     // bumps on every (re)open, so answers to an older socket are dropped
    this.recoveries = 0;
    this.holes = 0;
    this.historyFailures = 0;
    this.asking = false;     // a history request is in flight
    this.syncs = 0;          // hookbus.sync requests sent, for the tests
  }

  start() {
    this.eb = new EventBus(this.url, {
      vertxbus_ping_interval: 5000,
      vertxbus_reconnect_delay_min: 500,
      vertxbus_reconnect_delay_max: 4000,
    });
    this.eb.enableReconnect(true);
    // The client calls onopen for every (re)connect and drops all handlers before it; one place handles both.
    this.eb.onopen = () => this.opened();
    this.eb.onclose = () => {
      this.mode = 'down';
      this.status('reconnecting');
    };
    this.eb.onerror = err => console.warn('hookbus: bridge error frame', err);
  }

  opened() {
    const generation = ++this.generation;
    this.mode = 'catching-up';
    this.buffer = [];
    this.asking = false;
    this.eb.registerHandler(EVENTS, (err, msg) => {
      if (!err && generation === this.generation) this.receive(msg.body);
    });
    this.eb.registerHandler(METRICS, (err, msg) => {
      if (!err) this.h.onMetrics(msg.body);
    });
    this.eb.registerHandler(APPROVALS, () => {});
    if (this.synced) {
      this.recover(generation, 'resynced');
    } else {
      this.fullSync(generation, { first: true });
    }
  }

  receive(env) {
    if (this.mode !== 'live') {
      this.buffer.push(env);
      return;
    }
    if (env.seq <= this.lastSeq) return;
    if (env.seq !== this.lastSeq + 1) {
      this.buffer.push(env);
      this.mode = 'catching-up';
      this.recover(this.generation, 'connected'); // a gap on a live socket: fetch what is missing
      return;
    }
    this.deliver(env);
  }

  deliver(env) {
    this.lastSeq = env.seq;
    this.h.onEnvelope(env);
  }

  /** A fresh snapshot, when the page's state could not take an envelope (one from a hookbus before views). */
  resync() {
    if (this.mode === 'live') this.fullSync(this.generation);
  }

  /** Delivers buffered envelopes in seq order; returns false when a gap remains. */
  drain() {
    const pending = this.buffer.sort((a, b) => a.seq - b.seq);
    this.buffer = [];
    for (let i = 0; i < pending.length; i++) {
      const env = pending[i];
      if (env.seq <= this.lastSeq) continue;
      if (env.seq !== this.lastSeq + 1) {
        this.buffer = pending.slice(i);
        return false;
      }
      this.deliver(env);
    }
    return true;
  }

  goLive(generation, label) {
    if (!this.drain()) {
      // Still a hole after catching up: ask again, and after a few tries take a full snapshot instead.
      if (++this.holes > 3) this.fullSync(generation);
      else this.recover(generation, label);
      return;
    }
    this.holes = 0;
    this.mode = 'live';
    this.status(label);
    if (label === 'resynced') {
      setTimeout(() => {
        if (this.mode === 'live' && generation === this.generation) this.status('connected');
      }, RESYNCED_SHOWN_MS);
    }
  }

  fullSync(generation, { first = false, reset = false } = {}) {
    this.mode = 'catching-up';
    this.syncs++;
    this.request(SYNC, {}).then(snapshot => {
      if (generation !== this.generation) return;
      if (!first && !reset && snapshot.seq > this.lastSeq) this.h.onGap(this.lastSeq, snapshot.seq);
      this.h.onSnapshot(snapshot, { reset: reset || first });
      this.lastSeq = snapshot.seq;
      this.synced = true;
      if (first && snapshot.seq > 0) this.backlog(generation, snapshot.seq);
      this.goLive(generation, first ? 'connected' : 'resynced');
    }).catch(err => this.retry(generation, err, () => this.fullSync(generation, { first, reset })));
  }

  /**
   * Asks for everything after lastSeq, one page at a time (a page is small enough for the socket's queue) and
   * again while the reply says more; falls back to a full sync when history no longer reaches back.
   */
  recover(generation, label) {
    if (this.asking) return;
    this.asking = true;
    this.mode = 'catching-up';
    this.request(HISTORY, { since: this.lastSeq }).then(reply => {
      this.asking = false;
      if (generation !== this.generation) return;
      if (reply.seq < this.lastSeq) {
        // The server counts from scratch: it restarted without its journal. Start over.
        this.h.onGap(this.lastSeq, null);
        this.lastSeq = 0;
        this.fullSync(generation, { reset: true });
        return;
      }
      if (!reply.recovered) {
        this.fullSync(generation);
        return;
      }
      this.recoveries++;
      this.historyFailures = 0;
      for (const env of reply.events) {
        if (env.seq === this.lastSeq + 1) this.deliver(env);
      }
      if (reply.more && reply.events.length > 0) {
        // Paced under the bridge's default inbound rate (bridge.inboundRatePerSecond, 20/s): a long catch-up
        // must not get its own requests refused.
        setTimeout(() => {
          if (generation === this.generation) this.recover(generation, label);
        }, PAGE_PACE_MS);
        return;
      }
      this.goLive(generation, label);
    }).catch(err => {
      this.asking = false;
      // Once more, then a full snapshot: that is always right, it only leaves a marked gap in the stream.
      const again = ++this.historyFailures > 1
        ? () => this.fullSync(generation)
        : () => this.recover(generation, label);
      this.retry(generation, err, again);
    });
  }

  /**
   * Fills the stream with what happened just before the page opened (display only, the snapshot holds it): the last
   * 200 envelopes, page after page while the reply says more (a page also ends at a byte budget).
   */
  backlog(generation, seq, since = Math.max(0, seq - 200), got = []) {
    this.request(HISTORY, { since, max: 200 }).then(reply => {
      if (generation !== this.generation || !reply.recovered) return;
      const events = got.concat(reply.events.filter(e => e.seq <= seq));
      const last = reply.events.length ? reply.events[reply.events.length - 1].seq : seq;
      if (reply.more && last < seq) {
        setTimeout(() => this.backlog(generation, seq, last, events), PAGE_PACE_MS);
      } else {
        this.h.onBacklog(events);
      }
    }).catch(() => { /* the backlog is a nicety */ });
  }

  retry(generation, err, again) {
    console.warn('hookbus: request failed, retrying', err && (err.message || err));
    setTimeout(() => {
      if (generation === this.generation && this.eb.state === EventBus.OPEN) again();
    }, RETRY_MS);
  }

  request(address, body) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(address + ' timed out')), REQUEST_TIMEOUT_MS);
      try {
        this.eb.send(address, body, (err, msg) => {
          clearTimeout(timer);
          if (err) reject(err); else resolve(msg.body);
        });
      } catch (e) {
        clearTimeout(timer);
        reject(e);
      }
    });
  }

  status(state) {
    this.state = state;
    this.h.onStatus(state);
  }
}
