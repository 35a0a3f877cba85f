// The detail panel: the full JSON of one envelope. Envelopes with long strings reach browsers cut short; the
// whole event stays at GET /api/events/<seq> on the ingest port while it is in history, so fetch it then.

import { esc, clock, tokens } from './format.js';
import { apiRequests, usd } from './usage.js';

const CUT_MARKER = /truncated|\bcut\b|…\s*\[\d+/i;

export class DetailView {
  constructor(panel, title, note, pre, closeBtn, ingestBase) {
    Object.assign(this, { panel, title, note, pre, ingestBase });
    this.current = null;
    closeBtn.addEventListener('click', () => this.hide());
    document.addEventListener('keydown', e => { if (e.key === 'Escape') this.hide(); });
  }

  show(env) {
    this.current = env.seq;
    this.panel.hidden = false;
    this.title.textContent = `#${env.seq} ${env.type}`;
    this.title.title = `received ${clock(env.receivedAt)}`;
    this.pre.textContent = JSON.stringify(env, null, 2);
    const base = this.ingestBase();
    if (!wasCut(env)) {
      this.note.innerHTML = 'As broadcast.'
        + (base ? ' <button type="button" class="link" data-full>Load from ingest</button>' : '');
    } else {
      this.note.textContent = 'Cut for broadcast; loading the full event…';
    }
    const button = this.note.querySelector('[data-full]');
    if (button) button.addEventListener('click', () => this.loadFull(env));
    if (wasCut(env)) this.loadFull(env);
  }

  /** A session: its usage from OpenTelemetry and its API requests (from the ingest port's event history). */
  async showSession(s) {
    const key = 'session:' + s.sessionId;
    this.current = key;
    this.panel.hidden = false;
    this.title.textContent = `Session ${s.sessionId}`;
    this.title.title = s.cwd || '';
    this.pre.textContent = JSON.stringify(s.usage || { usage: 'no OpenTelemetry data for this session' }, null, 2);
    this.note.textContent = 'API requests: loading…';
    const base = this.ingestBase();
    if (!base) {
      this.note.textContent = 'API requests: the ingest address is not known yet.';
      return;
    }
    try {
      const requests = await apiRequests(base, s.sessionId);
      if (this.current !== key) return;
      this.note.innerHTML = requests.length === 0 ? 'No API requests reported (OTEL_LOGS_EXPORTER=otlp sends them).'
        : `${requests.length} API request${requests.length === 1 ? '' : 's'}:<ol class="api-requests">${
          requests.map(r => `<li><span>${esc(r.model || '?')}</span><span>${esc(usd(r.costUsd))}</span><span>${
            esc(tokens((r.inputTokens || 0) + (r.cacheReadTokens || 0) + (r.cacheCreationTokens || 0)))} in</span><span>${
            esc(tokens(r.outputTokens || 0))} out</span><span class="muted">${
            r.durationMs != null ? esc(String(r.durationMs)) + ' ms' : ''}</span></li>`).join('')}</ol>`;
    } catch (e) {
      if (this.current === key) this.note.textContent = 'API requests: the ingest port did not answer.';
    }
  }

  hide() {
    this.panel.hidden = true;
    this.current = null;
  }

  async loadFull(env) {
    const base = this.ingestBase();
    if (!base) {
      this.note.textContent = 'Cut for broadcast; the ingest address is not known yet.';
      return;
    }
    try {
      const response = await fetch(`${base}/api/events/${env.seq}`, { headers: { accept: 'application/json' } });
      if (this.current !== env.seq) return;
      if (!response.ok) {
        this.note.textContent = response.status === 404
          ? 'As broadcast: the full event is no longer (or not) kept by the server.'
          : `As broadcast: the server answered ${response.status}.`;
        return;
      }
      const full = await response.json();
      if (this.current !== env.seq) return;
      this.pre.textContent = JSON.stringify(full, null, 2);
      this.note.innerHTML = `Full event from <code>${esc(base)}/api/events/${env.seq}</code>.`;
    } catch (e) {
      if (this.current === env.seq) this.note.textContent = 'As broadcast: the ingest port did not answer.';
    }
  }
}

function wasCut(env) {
  if (env.truncated || (env.payload && (env.payload.truncated || env.payload._truncated))) return true;
  return CUT_MARKER.test(JSON.stringify(env.payload || {}));
}
