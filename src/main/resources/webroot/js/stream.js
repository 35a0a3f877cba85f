// The live stream: every envelope, newest first, capped in memory, with filters and pause/resume.
// Virtualised: rows are a fixed height, so the list is laid out by arithmetic; only the rows near the visible
// ones are in the DOM (ROWS_AROUND either side), and the list's padding above and below stands in for the rest.
// New rows join when the page renders (main.js, in the same frame as the cards); scrolling renders on its own.
// Paused, envelopes are still kept; the list catches up on resume.

import { esc, shortId, clip, clock, summary } from './format.js';
import { FrameBatch, setText } from './frame.js';

const CAP = 2000;        // envelopes kept in memory (up to 10 % more between trims)
const ROW_H = 48;        // px, as .ev's height in app.css
const ROWS_AROUND = 40;  // rows kept in the DOM above and below the visible ones

export class StreamView {
  /** @param schedule asks the page for a render; add() does not, the page renders after every envelope anyway */
  constructor({ box, list, foot, pauseBtn, session, agent, type, text }, colors, onSelect, schedule) {
    this.box = box;           // the scrolling box around the list
    this.list = list;
    this.foot = foot;
    this.pauseBtn = pauseBtn;
    this.f = { session, agent, type, text };
    this.colors = colors;
    this.onSelect = onSelect;
    this.items = [];            // oldest first
    this.bySeq = new Map();
    this.order = new WeakMap(); // item → a running number, so trimming knows what went
    this.counter = 0;
    this.shown = [];            // the items that pass the filters, oldest first
    this.paused = false;
    this.missed = 0;
    this.rows = new Map();      // item → its <li>, for the rows in the DOM
    this.range = { start: 0, end: 0 }; // the rows in the DOM, as indexes newest first
    this.added = 0;             // shown items added since the last render (they push the others down)
    this.rebuild = true;
    this.selected = null;
    this.scrollTop = 0;
    this.height = 0;
    this.known = { session: new Map(), agent: new Map(), type: new Set() };
    this.schedule = schedule;
    this.scrollBatch = new FrameBatch(() => this.render());
    for (const el of [session, agent, type]) el.addEventListener('change', () => this.refilter());
    text.addEventListener('input', () => this.refilter());
    pauseBtn.addEventListener('click', () => this.setPaused(!this.paused));
    list.addEventListener('click', e => this.select(e));
    list.addEventListener('keydown', e => { if (e.key === 'Enter') this.select(e); });
    box.addEventListener('scroll', () => {
      this.scrollTop = box.scrollTop;
      this.scrollBatch.request();
    }, { passive: true });
    new ResizeObserver(entries => {
      this.height = entries[0].contentRect.height;
      this.scrollBatch.request();
    }).observe(box);
  }

  add(env) {
    this.keep(env);
    this.items.push(env);
    this.trim();
    if (this.paused) this.missed++;
    else if (this.matches(env)) {
      this.shown.push(env);
      this.added++;
    }
  }

  /** Older envelopes from before the page opened, oldest first. */
  addBacklog(envs) {
    const older = envs.filter(e => !this.bySeq.has(e.seq) && (!this.items.length || e.seq < this.items[0].seq));
    older.forEach(e => this.remember(e));
    this.items.unshift(...older);
    this.items.forEach(e => this.order.set(e, this.counter++));
    this.trim();
    this.refilter();
  }

  gap(fromSeq, toSeq) {
    const text = toSeq == null ? 'the server restarted: state synced afresh'
      : `${toSeq - fromSeq} events after #${fromSeq} passed while disconnected: state synced afresh`;
    const marker = { gap: true, text, seq: null };
    this.order.set(marker, this.counter++);
    this.items.push(marker);
    this.refilter();
  }

  get(seq) {
    return this.bySeq.get(seq);
  }

  setPaused(paused) {
    this.paused = paused;
    this.pauseBtn.setAttribute('aria-pressed', String(paused));
    if (!paused) {
      this.missed = 0;
      this.refilter();
    } else {
      this.schedule();
    }
  }

  keep(env) {
    this.order.set(env, this.counter++);
    this.remember(env);
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
    const oldest = this.order.get(this.items[0]);
    let drop = 0;
    while (drop < this.shown.length && this.order.get(this.shown[drop]) < oldest) drop++;
    if (drop) this.shown.splice(0, drop);
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

  /** Filters changed, or the list resumes: the rows are worked out afresh, from the top. */
  refilter() {
    this.shown = this.items.filter(e => this.matches(e));
    this.added = 0;
    this.rebuild = true;
    this.box.scrollTop = this.scrollTop = 0;
    this.schedule();
  }

  render() {
    setText(this.pauseBtn, this.paused ? (this.missed ? `Resume (${this.missed} new)` : 'Resume') : 'Pause');
    this.updateFoot();
    if (this.paused && !this.rebuild) return; // held still
    const n = this.shown.length;
    const scrolledTo = this.scrollTop;
    if (this.added && !this.rebuild) {
      // Rows joined at the top: what was shown moves down by as many; a reader scrolled down keeps their place.
      this.range.start += this.added;
      this.range.end += this.added;
      if (this.scrollTop > 0) this.scrollTop += this.added * ROW_H;
    }
    this.added = 0;
    const first = Math.floor(this.scrollTop / ROW_H);
    const visible = Math.ceil((this.height || 20 * ROW_H) / ROW_H) + 1;
    const start = Math.max(0, first - ROWS_AROUND);
    const end = Math.min(n, first + visible + ROWS_AROUND);
    const { range } = this;
    // Slack: the window moves only when the visible rows get near its edge, not for every scrolled pixel.
    const enough = !this.rebuild && range.start <= Math.max(0, first - ROWS_AROUND / 2)
      && range.end >= Math.min(n, first + visible + ROWS_AROUND / 2) && range.end - range.start <= end - start + ROWS_AROUND;
    if (!enough) this.place(start, end);
    const padding = `${this.range.start * ROW_H}px 0 ${Math.max(0, n - this.range.end) * ROW_H}px`;
    if (padding !== this.padding) this.list.style.padding = this.padding = padding;
    if (this.scrollTop !== scrolledTo) this.box.scrollTop = this.scrollTop; // after the padding that makes room
  }

  /** Puts rows [start, end) (newest first) in the DOM, keeping the <li> of every item that stays. */
  place(start, end) {
    const n = this.shown.length;
    const wanted = [];
    for (let i = start; i < end; i++) wanted.push(this.shown[n - 1 - i]);
    if (this.rebuild) {
      this.list.textContent = '';
      this.rows.clear();
      this.rebuild = false;
    }
    const keep = new Set(wanted);
    for (const [item, li] of this.rows) {
      if (!keep.has(item)) {
        li.remove();
        this.rows.delete(item);
      }
    }
    let cursor = this.list.firstElementChild;
    let fresh = [];
    const flush = () => {
      if (!fresh.length) return;
      const template = document.createElement('template');
      template.innerHTML = fresh.map(item => this.row(item)).join('');
      [...template.content.children].forEach((li, k) => this.rows.set(fresh[k], li));
      this.list.insertBefore(template.content, cursor);
      fresh = [];
    };
    for (const item of wanted) {
      const li = this.rows.get(item);
      if (!li) {
        fresh.push(item);
        continue;
      }
      flush();
      cursor = li.nextElementSibling;
    }
    flush();
    this.range = { start, end };
  }

  updateFoot() {
    const filtered = this.f.session.value || this.f.agent.value || this.f.type.value || this.f.text.value;
    setText(this.foot, `${this.items.length} events kept` + (filtered ? ' · filtered' : ''));
  }

  row(env) {
    if (env.gap) return `<li class="ev gap">${esc(env.text)}</li>`;
    const kind = env.type.split(':')[0];
    const agent = env.agentId
      ? `<span class="agent" title="${esc(env.agentId)}">↳ ${esc(shortId(env.agentId))}</span>` : '<span></span>';
    const classes = `ev k-${esc(kind)}${env.type === 'tool:failure' ? ' failed' : ''}${
      env.seq === this.selected ? ' selected' : ''}`;
    return `<li class="${classes}" tabindex="0"
      data-seq="${env.seq}" data-session="${esc(env.sessionId || '')}" data-agent="${esc(env.agentId || '')}"
      data-type="${esc(env.type)}">
      <span class="type">${esc(env.type)}</span>
      <span class="sess" style="--c:${esc(this.colors.of(env.sessionId))}" title="${esc(env.sessionId || '')}">${
        esc(this.colors.label(env.sessionId))}</span>${agent}
      <span class="when">${esc(clock(env.receivedAt || env.timestamp))} #${env.seq}</span>
      <span class="sum">${esc(clip(summary(env), 160))}</span>
    </li>`;
  }

  select(e) {
    const li = e.target.closest('.ev[data-seq]');
    if (!li) return;
    for (const el of this.list.querySelectorAll('.ev.selected')) el.classList.remove('selected');
    li.classList.add('selected');
    this.selected = Number(li.dataset.seq);
    const env = this.get(this.selected);
    if (env) this.onSelect(env);
  }
}

function addOption(select, value, label) {
  const option = document.createElement('option');
  option.value = value;
  option.textContent = label;
  select.appendChild(option);
}
