// Cost from Claude Code's OpenTelemetry export: today's total in the header and a small chart of the last
// 14 days, both from GET /api/usage?by=day on the ingest port (the journal's sums, ended sessions included).
// Refreshed at load and at most every REFRESH_MS (3 s) while usage:update envelopes arrive; no timer of its own.

import { esc } from './format.js';

const REFRESH_MS = 3_000;
const DAYS = 14;
const DAY_MS = 86_400_000;

export class UsageView {
  constructor(kpi, chart, caption, ingestBase) {
    Object.assign(this, { kpi, chart, caption, ingestBase });
    this.lastFetch = 0;
    this.pending = null;
  }

  /** A usage:update arrived (or the ingest address became known): refresh, at most every REFRESH_MS. */
  refreshSoon() {
    if (this.pending) return;
    const wait = Math.max(0, this.lastFetch + REFRESH_MS - Date.now());
    this.pending = setTimeout(() => {
      this.pending = null;
      this.refresh();
    }, wait);
  }

  async refresh() {
    const base = this.ingestBase();
    if (!base) return;
    this.lastFetch = Date.now();
    const since = startOfUtcDay(Date.now()) - (DAYS - 1) * DAY_MS;
    try {
      const response = await fetch(`${base}/api/usage?by=day&since=${since}`, { headers: { accept: 'application/json' } });
      if (!response.ok) return;
      this.show(await response.json());
    } catch (e) {
      // ingest is away or refuses the page (tokens): the header keeps its dash
    }
  }

  show(report) {
    const byDay = new Map((report.rows || []).map(r => [r.day, r.costUsd || 0]));
    const today = new Date(startOfUtcDay(Date.now())).toISOString().slice(0, 10);
    this.kpi.textContent = usd(byDay.get(today) || 0);
    const days = [];
    for (let i = DAYS - 1; i >= 0; i--) {
      const day = new Date(startOfUtcDay(Date.now()) - i * DAY_MS).toISOString().slice(0, 10);
      days.push({ day, cost: byDay.get(day) || 0 });
    }
    const max = Math.max(...days.map(d => d.cost), 0.01);
    const width = 100 / DAYS;
    this.chart.innerHTML = days.map((d, i) => {
      const h = Math.round((d.cost / max) * 40);
      return `<rect x="${(i * width + width * 0.15).toFixed(2)}%" y="${44 - h}" width="${(width * 0.7).toFixed(2)}%"`
        + ` height="${Math.max(h, d.cost > 0 ? 1 : 0)}" data-day="${esc(d.day)}"><title>${esc(d.day)}: ${
          esc(usd(d.cost))}</title></rect>`;
    }).join('');
    const total = days.reduce((sum, d) => sum + d.cost, 0);
    this.caption.textContent = `${usd(total)} in ${DAYS} days (UTC), from Claude Code's OpenTelemetry export`;
  }
}

/** The API requests of one session, newest last, as the detail panel lists them. */
export async function apiRequests(base, sessionId) {
  const response = await fetch(`${base}/api/events?session=${encodeURIComponent(sessionId)}`
    + '&type=usage:api-request&limit=200', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const page = await response.json();
  return (page.events || []).map(e => e.payload || {});
}

export function usd(n) {
  return '$' + Number(n || 0).toFixed(2);
}

export function tokenTotal(usage) {
  const t = (usage && usage.tokens) || {};
  return (t.input || 0) + (t.output || 0) + (t.cacheRead || 0) + (t.cacheCreation || 0);
}

function startOfUtcDay(ms) {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}
