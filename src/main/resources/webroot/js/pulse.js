// Pulse: events per second over the last few minutes, one stacked color per session, drawn on a canvas.
// Buckets use the server's receivedAt shifted by the clock offset seen on live envelopes, so a backlog and
// live events land in the same seconds.

import { esc } from './format.js';
import { setText } from './frame.js';

const WINDOW_S = 180;
const DRAW_GAP_MS = 500;   // at most two drawings a second while events come, one a second while they do not
const LEGEND_GAP_MS = 1000;

export class Pulse {
  constructor(canvas, legend, rateEl, colors) {
    this.canvas = canvas;
    this.legend = legend;
    this.rateEl = rateEl;
    this.colors = colors;
    this.buckets = new Map();   // second → Map(sessionId → count)
    this.offset = 0;            // client clock minus server clock, roughly
    this.size = { width: 0, height: 0 }; // from the observer: reading clientWidth would force a layout
    new ResizeObserver(entries => {
      const { width, height } = entries[0].contentRect;
      this.size = { width, height };
      this.draw();
    }).observe(canvas);
    this.legendKey = '';
    this.legendAt = -Infinity;
    this.lastDraw = -Infinity;
    this.drawnEmpty = false;
    this.palette = null;       // read from the CSS once, again when the color scheme changes
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
      this.palette = null;
      this.draw();
    });
  }

  record(env, live) {
    if (live && env.receivedAt) this.offset = Date.now() - env.receivedAt;
    const at = (env.receivedAt || env.timestamp || Date.now()) + this.offset;
    const second = Math.floor(at / 1000);
    let bucket = this.buckets.get(second);
    if (!bucket) this.buckets.set(second, bucket = new Map());
    const key = env.sessionId || '';
    bucket.set(key, (bucket.get(key) || 0) + 1);
  }

  /** Events per minute over the last 60 s, for the header until hookbus.metrics arrives. */
  perMinute() {
    const now = Math.floor(Date.now() / 1000);
    let n = 0;
    for (const [second, bucket] of this.buckets) {
      if (second > now - 60) for (const c of bucket.values()) n += c;
    }
    return n;
  }

  /** Redraws soon, at most every DRAW_GAP_MS. */
  drawSoon() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = 0;
      this.draw();
    }, Math.max(0, this.lastDraw + DRAW_GAP_MS - performance.now()));
  }

  /** Called once a second: the bars move left while there is anything in the window; an empty chart stays put. */
  tick() {
    if (this.buckets.size || !this.drawnEmpty) this.draw();
  }

  draw() {
    if (document.hidden) return; // the next tick after the tab shows again catches up
    this.lastDraw = performance.now();
    const now = Math.floor(Date.now() / 1000);
    for (const second of this.buckets.keys()) if (second <= now - WINDOW_S) this.buckets.delete(second);
    this.drawnEmpty = this.buckets.size === 0;
    if (!this.palette) {
      const css = getComputedStyle(this.canvas);
      this.palette = { grid: css.getPropertyValue('--grid').trim() || '#8884',
        muted: css.getPropertyValue('--muted').trim() || '#888' };
    }
    const { width, height } = this.size;
    if (!width || !height) return;
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(width * dpr)) this.canvas.width = Math.round(width * dpr);
    if (this.canvas.height !== Math.round(height * dpr)) this.canvas.height = Math.round(height * dpr);
    const g = this.canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);

    let peak = 0;
    const sessions = new Map();
    for (const bucket of this.buckets.values()) {
      let sum = 0;
      for (const [id, c] of bucket) {
        sum += c;
        sessions.set(id, (sessions.get(id) || 0) + c);
      }
      peak = Math.max(peak, sum);
    }
    const scale = niceCeil(Math.max(1, peak));
    const top = 14;
    const plotH = height - top - 16;
    const barW = width / WINDOW_S;

    g.strokeStyle = this.palette.grid;
    g.fillStyle = this.palette.muted;
    g.font = '11px system-ui, sans-serif';
    g.lineWidth = 1;
    for (const f of [0, 0.5, 1]) {
      const y = Math.round(top + plotH * (1 - f)) + 0.5;
      g.beginPath(); g.moveTo(0, y); g.lineTo(width, y); g.stroke();
    }
    g.fillText(`${scale}/s`, 4, top - 3);
    g.fillText('-3m', 4, height - 3);
    g.fillText('now', width - 26, height - 3);

    for (let i = 0; i < WINDOW_S; i++) {
      const bucket = this.buckets.get(now - WINDOW_S + 1 + i);
      if (!bucket) continue;
      let y = top + plotH;
      for (const [id, c] of bucket) {
        const h = (c / scale) * plotH;
        g.fillStyle = this.colors.of(id || null);
        g.fillRect(i * barW + 0.5, y - h, Math.max(1, barW - 1), h);
        y -= h;
      }
    }
    const last = this.buckets.get(now) || new Map();
    const lastSecond = [...last.values()].reduce((a, b) => a + b, 0);
    setText(this.rateEl, `${lastSecond} ev/s now · peak ${peak}/s · last 3 minutes`);
    this.drawLegend(sessions);
  }

  drawLegend(sessions) {
    const entries = [...sessions.entries()].sort((a, b) => b[1] - a[1]);
    const key = entries.map(([id, c]) => id + ':' + c).join(',');
    if (key === this.legendKey) return;
    // A new session shows at once; changed counts wait for the next second.
    const sameSessions = entries.length === this.legendSize && performance.now() - this.legendAt < LEGEND_GAP_MS;
    if (sameSessions) return;
    this.legendKey = key;
    this.legendSize = entries.length;
    this.legendAt = performance.now();
    this.legend.innerHTML = entries.map(([id, c]) => `<li title="${esc(id)}">
      <span class="swatch" style="background:${esc(this.colors.of(id || null))}"></span>${
        esc(id ? this.colors.label(id) : 'no session')} <span class="muted">${c}</span></li>`).join('');
  }
}

function niceCeil(n) {
  for (const step of [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]) if (n <= step) return step;
  return Math.ceil(n / 10000) * 10000;
}
