// The live stream: every envelope, newest first, capped in memory, with filters and pause/resume.
// Paused, envelopes are still kept; the list catches up on resume.

import { esc, shortId, clip, clock, summary } from './format.js';

const CAP = 2000;      // envelopes kept in memory (up to 10 % more between trims)
const SHOWN = 400;     // rows in the DOM

export class StreamView {
  constructor({ list, foot, pauseBtn, session, agent, type, text }, colors, onSelect) {
    this.list = list;
    this.foot = foot;
    this.pauseBtn = pauseBtn;
    this.f = { session, agent, type, text };
    this.colors = colors;
    this.onSelect = onSelect;
    this.items = [];            // oldest first
    this.bySeq = new Map();
    this.paused = false;
    this.missed = 0;
    this.pending = [];         // rows waiting for the next frame
    this.frame = 0;
    this.known = { session: new Map(), agent: new Map(), type: new Set() };
    for (const el of [session, agent, type]) el.addEventListener('change', () => this.renderAll());
    text.addEventListener('input', () => this.renderAll());
    pauseBtn.addEventListener('click', () => this.setPaused(!this.paused));
    list.addEventListener('click', e => this.select(e));
    list.addEventListener('keydown', e => { if (e.key === 'Enter') this.select(e); });
  }

  add(env) {
    this.remember(env);
    this.items.push(env);
    this.trim();
    if (this.paused) {
      this.missed++;
      this.pauseBtn.textContent = `Resume (${this.missed} new)`;
      return;
    }
    if (this.matches(env)) this.pending.push(env);
    // One DOM insert per frame, however fast envelopes come.
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  flush() {
    this.frame = 0;
    const rows = this.pending.reverse().map(env => this.row(env)).join('');
    this.pending = [];
    if (rows) this.list.insertAdjacentHTML('afterbegin', rows);
    while (this.list.childElementCount > SHOWN) this.list.lastElementChild.remove();
    this.updateFoot();
  }

  /** Older envelopes from before the page opened, oldest first. */
  addBacklog(envs) {
    const older = envs.filter(e => !this.bySeq.has(e.seq) && (!this.items.length || e.seq < this.items[0].seq));
    older.forEach(e => this.remember(e));
    this.items.unshift(...older);
    this.trim();
    this.renderAll();
  }

  gap(fromSeq, toSeq) {
    const text = toSeq == null ? 'the server restarted: state synced afresh'
      : `${toSeq - fromSeq} events after #${fromSeq} passed while disconnected: state synced afresh`;
    this.items.push({ gap: true, text, seq: null });
    this.renderAll();
  }

  get(seq) {
    return this.bySeq.get(seq);
  }

  setPaused(paused) {
    this.paused = paused;
    this.pauseBtn.setAttribute('aria-pressed', String(paused));
    this.pauseBtn.textContent = paused ? 'Resume' : 'Pause';
    if (!paused) {
      this.missed = 0;
      this.renderAll();
    }
  }

  remember(env) {
    this.bySeq.set(env.seq, env);
    if (env.sessionId && !this.known.session.has(env.sessionId)) {
      this.known.session.set(env.sessionId, true);
      addOption(this.f.session, env.sessionId, this.colors.label(env.sessionId));
    }
    if (env.agentId && !this.known.agent.has(env.agentId)) {
      this.known.agent.set(env.agentId, true);
      const type = env.payload && env.payload.agentType;
      addOption(this.f.agent, env.agentId, (type ? type + ' ' : '') + shortId(env.agentId));
    }
    if (!this.known.type.has(env.type)) {
      this.known.type.add(env.type);
      addOption(this.f.type, env.type, env.type);
    }
  }

  trim() {
    if (this.items.length <= CAP + CAP / 10) return; // trimmed in chunks: a splice per event would cost O(CAP)
    for (const old of this.items.splice(0, this.items.length - CAP)) {
      if (!old.gap) this.bySeq.delete(old.seq);
    }
  }

  matches(env) {
    const { session, agent, type, text } = this.f;
    if (env.gap) return !session.value && !agent.value && !type.value && !text.value;
    if (session.value && env.sessionId !== session.value) return false;
    if (agent.value && env.agentId !== agent.value) return false;
    if (type.value && env.type !== type.value) return false;
    const needle = text.value.trim().toLowerCase();
    return !needle || JSON.stringify(env).toLowerCase().includes(needle);
  }

  renderAll() {
    this.pending = [];
    const rows = [];
    for (let i = this.items.length - 1; i >= 0 && rows.length < SHOWN; i--) {
      if (this.matches(this.items[i])) rows.push(this.row(this.items[i]));
    }
    this.list.innerHTML = rows.join('');
    this.updateFoot();
  }

  updateFoot() {
    const filtered = this.f.session.value || this.f.agent.value || this.f.type.value || this.f.text.value;
    this.foot.textContent = `${this.items.length} events kept` + (filtered ? ' · filtered' : '');
  }

  row(env) {
    if (env.gap) return `<li class="ev gap">${esc(env.text)}</li>`;
    const kind = env.type.split(':')[0];
    const agent = env.agentId
      ? `<span class="agent" title="${esc(env.agentId)}">↳ ${esc(shortId(env.agentId))}</span>` : '<span></span>';
    return `<li class="ev k-${esc(kind)}${env.type === 'tool:failure' ? ' failed' : ''}" tabindex="0"
      data-seq="${env.seq}" data-session="${esc(env.sessionId || '')}" data-agent="${esc(env.agentId || '')}"
      data-type="${esc(env.type)}">
      <span class="type">${esc(env.type)}</span>
      <span class="sess" style="--c:${esc(this.colors.of(env.sessionId))}" title="${esc(env.sessionId || '')}">${
        esc(this.colors.label(env.sessionId))}</span>${agent}
      <span class="when"><time>${esc(clock(env.receivedAt || env.timestamp))}</time> <span class="seq">#${env.seq}</span></span>
      <span class="sum">${esc(clip(summary(env), 160))}</span>
    </li>`;
  }

  select(e) {
    const li = e.target.closest('.ev[data-seq]');
    if (!li) return;
    for (const el of this.list.querySelectorAll('.ev.selected')) el.classList.remove('selected');
    li.classList.add('selected');
    const env = this.get(Number(li.dataset.seq));
    if (env) this.onSelect(env);
  }
}

function addOption(select, value, label) {
  const option = document.createElement('option');
  option.value = value;
  option.textContent = label;
  select.appendChild(option);
}
