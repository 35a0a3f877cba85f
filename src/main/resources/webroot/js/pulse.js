// Pulse: events per second over the last few minutes, one stacked color per session, drawn on a canvas.
// Buckets use the server's receivedAt shifted by the clock offset seen on live envelopes, so a backlog and
// live events land in the same seconds.

import { esc } from './format.js';

const WINDOW_S = 180;

export class Pulse {
  constructor(canvas, legend, rateEl, colors) {
    this.canvas = canvas;
    this.legend = legend;
    this.rateEl = rateEl;
    this.colors = colors;
    this.buckets = new Map();   // second → Map(sessionId → count)
    this.offset = 0;            // client clock minus server clock, roughly
    new ResizeObserver(() => this.draw()).observe(canvas);
    this.legendKey = '';
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

  /** Redraws at most four times a second. */
  drawSoon() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = 0;
      this.draw();
    }, 250);
  }

  draw() {
    const now = Math.floor(Date.now() / 1000);
    for (const second of this.buckets.keys()) if (second <= now - WINDOW_S) this.buckets.delete(second);
    const css = getComputedStyle(this.canvas);
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
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

    g.strokeStyle = css.getPropertyValue('--grid').trim() || '#8884';
    g.fillStyle = css.getPropertyValue('--muted').trim() || '#888';
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
    this.rateEl.textContent = `${lastSecond} ev/s now · peak ${peak}/s · last 3 minutes`;
    this.drawLegend(sessions);
  }

  drawLegend(sessions) {
    const entries = [...sessions.entries()].sort((a, b) => b[1] - a[1]);
    const key = entries.map(([id, c]) => id + ':' + c).join(',');
    if (key === this.legendKey) return;
    this.legendKey = key;
    this.legend.innerHTML = entries.map(([id, c]) => `<li title="${esc(id)}">
      <span class="swatch" style="background:${esc(this.colors.of(id || null))}"></span>${
        esc(id ? this.colors.label(id) : 'no session')} <span class="muted">${c}</span></li>`).join('');
  }
}

function niceCeil(n) {
  for (const step of [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]) if (n <= step) return step;
  return Math.ceil(n / 10000) * 10000;
}
