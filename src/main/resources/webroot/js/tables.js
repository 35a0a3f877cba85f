// The tables: one card per table with the session sitting there, and the queue of sessions waiting for one.
// Only the cards of sessions that changed are looked at, and only their changed parts replaced; running times
// tick once a second.

import { esc, shortId, clip, tokens, basename, duration, round } from './format.js';
import { setText } from './frame.js';
import { usd, tokenTotal } from './usage.js';

const WARN_PERCENT = 70;
const CRITICAL_PERCENT = 90;

export class TablesView {
  constructor(root, queueBox, queueList, summaryEl, store, colors, hintFn) {
    this.root = root;
    this.queueBox = queueBox;
    this.queueList = queueList;
    this.summaryEl = summaryEl;
    this.store = store;
    this.colors = colors;
    this.hint = hintFn;
    this.cards = [];
    this.dirty = new Set();   // sessions changed since the last render
    this.allDirty = true;
    this.sessionsSeen = null; // a snapshot replaces store.sessions: then every card is checked
    this.queueHtml = null;
  }

  /** Notes what an envelope changed, so the next render touches only that session's card. */
  touch(env) {
    const view = env.view;
    if (!view) return;
    if (view.queue) this.allDirty = true;
    for (const [id, change] of Object.entries(view.sessions || {})) {
      // A session that closed or moved to a table: check every card.
      if (change === null || 'tableIndex' in change) this.allDirty = true;
      else this.dirty.add(id);
    }
  }

  touchAll() {
    this.allDirty = true;
  }

  render() {
    const { store } = this;
    if (store.sessions !== this.sessionsSeen) {
      this.sessionsSeen = store.sessions;
      this.allDirty = true;
    }
    while (this.cards.length < store.tables) {
      const card = document.createElement('article');
      card.className = 'table-card';
      card.dataset.table = String(this.cards.length);
      this.root.appendChild(card);
      this.cards.push({ el: card, kind: null, sessionId: undefined, parts: [], attrs: '' });
      this.allDirty = true;
    }
    while (this.cards.length > store.tables) this.cards.pop().el.remove();
    const atTable = new Map();
    for (const s of store.sessions.values()) if (s.tableIndex != null) atTable.set(s.tableIndex, s);
    this.cards.forEach((card, i) => {
      const s = atTable.get(i) || null;
      const id = s ? s.sessionId : null;
      if (!this.allDirty && id === card.sessionId && !(id && this.dirty.has(id))) return;
      card.sessionId = id;
      this.update(card, i, s);
    });
    this.dirty.clear();
    this.allDirty = false;
    this.renderQueue();
    const queued = store.queue.length ? ` · ${store.queue.length} queued` : '';
    setText(this.summaryEl, `${atTable.size} of ${store.tables} taken${queued}`);
  }

  /** Brings one card up to date, replacing only the parts whose markup changed. */
  update(card, i, s) {
    const parts = s ? this.sessionCard(i, s) : [emptyCard(i, i === 0 && this.store.sessions.size === 0 ? this.hint() : '')];
    const kind = s ? 'session' : 'free';
    if (card.kind !== kind || kind === 'free') {
      if (card.kind !== kind || parts[0] !== card.parts[0]) {
        card.el.innerHTML = parts.join('');
        tickWithin(card.el, Date.now());
      }
      card.kind = kind;
      card.parts = parts;
    } else {
      const children = card.el.children;
      parts.forEach((html, n) => {
        if (html === card.parts[n]) return;
        const template = document.createElement('template');
        template.innerHTML = html;
        const fresh = template.content.firstElementChild;
        children[n].replaceWith(fresh);
        tickWithin(fresh, Date.now());
      });
      card.parts = parts;
    }
    const critical = !!s && s.contextPercent >= CRITICAL_PERCENT;
    const team = s ? this.store.teamOf(s).color : 'transparent';
    const attrs = [s ? s.sessionId : '', s ? s.status : 'free', critical, team].join('|');
    if (attrs === card.attrs) return;
    card.attrs = attrs;
    card.el.dataset.session = s ? s.sessionId : '';
    card.el.dataset.status = s ? s.status : 'free';
    card.el.classList.toggle('free', !s);
    card.el.classList.toggle('critical', critical);
    card.el.style.setProperty('--team', team);
  }

  renderQueue() {
    // Sessions that wait for the person come first (a stable sort keeps the queue's order within each group); the
    // number stays the session's place in the queue for a table.
    const queued = this.store.queue.map((id, i) => ({ s: this.store.sessions.get(id), place: i + 1 }))
      .filter(q => q.s)
      .sort((a, b) => (b.s.status === 'waiting') - (a.s.status === 'waiting'));
    const html = queued.map(({ s, place }) => `
      <li class="queue-item${s.status === 'waiting' ? ' waiting' : ''}" data-session="${esc(s.sessionId)}"
          data-status="${esc(s.status)}" style="--team:${esc(this.store.teamOf(s).color)}">
        <span class="pos" title="place in the queue for a table">${place}</span>
        ${s.status === 'waiting' ? `<span class="wait-tag" title="${esc(s.waitingDetail || '')}">waits for you</span>` : ''}
        <span class="swatch" style="background:${esc(this.colors.of(s.sessionId))}"></span>
        <span class="title">${esc(basename(s.cwd) || shortId(s.sessionId))}</span>
        <span class="muted">${esc(this.store.teamOf(s).name)} · waiting ${
          `<span data-ago="${s.createdAt || ''}"></span>`}</span>
      </li>`).join('');
    if (html === this.queueHtml) return;
    this.queueHtml = html;
    this.queueBox.hidden = queued.length === 0;
    this.queueList.innerHTML = html;
    tickWithin(this.queueList, Date.now());
  }

  /** A card as its parts, in the order of the card's children; each is replaced on its own when it changes. */
  sessionCard(i, s) {
    const team = this.store.teamOf(s);
    const known = s.contextPercent != null; // null until a context:update or the status line reports it
    const pct = known ? round(s.contextPercent) : 0;
    const level = !known ? 'unknown' : pct >= CRITICAL_PERCENT ? 'critical' : pct >= WARN_PERCENT ? 'warn' : 'ok';
    const agents = [...s.agents.values()];
    return [`<header class="card-head">
        <span class="table-no" title="tableIndex ${i} in the API">T${i}</span>
        <span class="team">${esc(team.name)}</span>
        <span class="swatch" style="background:${esc(this.colors.of(s.sessionId))}" title="pulse color"></span>
      </header>`,
      `<div class="title" title="${esc(s.cwd || s.sessionId)}">${esc(basename(s.cwd) || shortId(s.sessionId))}</div>`,
      `<div class="where muted" title="${esc(s.sessionId)}"><span class="sid">${esc(shortId(s.sessionId))}</span>${
        s.model ? ' · ' + esc(s.model) : ''}</div>`,
      statusLine(s),
      `<div class="gauge ${level}" title="context window use">
        <div class="bar"><span style="width:${Math.min(100, pct)}%"></span></div>
        <div class="gauge-label">${known ? `<span class="pct">${pct}%</span>
          <span class="muted">${esc(tokens(s.tokensUsed))}${
            s.contextWindow ? ' / ' + esc(tokens(s.contextWindow)) : ''} tokens</span>`
            : '<span class="pct unknown muted">context unknown</span>'}
          ${level === 'critical' ? '<span class="warn-tag">near limit</span>' : ''}</div>
      </div>`,
      `<ul class="agents">${agents.map(agentChip).join('')}</ul>`,
      `<footer class="card-foot muted">
        <span title="tool calls">${count(s.toolCalls, 'tool')}</span>
        ${s.toolFailures ? `<span class="fail" title="tool failures">${s.toolFailures} failed</span>` : ''}
        <span title="prompts">${count(s.prompts, 'prompt')}</span>
        ${s.costUsd != null ? `<span class="cost" title="${s.usage ? 'from OpenTelemetry' : 'from the status line'}">${
          esc(usd(s.costUsd))}</span>` : ''}
        ${s.usage ? `<span class="usage-tokens" title="${esc(tokenTitle(s.usage))}">${
          esc(tokens(tokenTotal(s.usage)))} tok · ${count(s.usage.apiRequests, 'req')}</span>` : ''}
        <span class="ago" data-ago="${s.lastEventAt || ''}"></span>
      </footer>`];
  }

  /** Updates the running times and "ago" labels without rebuilding any card; called once a second. */
  tick() {
    const now = Date.now();
    tickWithin(this.root, now);
    if (!this.queueBox.hidden) tickWithin(this.queueList, now);
  }
}

function tickWithin(root, now) {
  for (const el of root.querySelectorAll('[data-since]')) {
    setText(el, duration(now - Number(el.dataset.since)));
  }
  for (const el of root.querySelectorAll('[data-ago]')) {
    setText(el, el.dataset.ago ? duration(now - Number(el.dataset.ago)) + ' ago' : '');
  }
}

function statusLine(s) {
  if (s.status === 'waiting') {
    const why = s.waitingFor === 'permission' ? 'needs permission' : s.waitingFor === 'input' ? 'waits for input'
      : s.waitingFor === 'elicitation' ? 'asks a question' : 'waiting';
    return `<div class="status waiting"><span class="badge">WAITING</span><span class="why">${esc(why)}${
      s.waitingDetail ? ': ' + esc(clip(s.waitingDetail, 60)) : ''}</span></div>`;
  }
  if (s.status === 'idle') {
    return `<div class="status idle"><span class="badge">IDLE</span><span class="why muted">${
      esc(clip(s.lastMessage || 'turn finished', 70))}</span></div>`;
  }
  const tool = s.currentTool
    ? `<span class="tool">${esc(s.currentTool)}</span> <span class="elapsed" data-since="${s.toolStartedAt || Date.now()}"></span>`
    : '<span class="why muted">thinking</span>';
  return `<div class="status active"><span class="badge">ACTIVE</span>${tool}</div>`;
}

function agentChip(a) {
  return `<li class="agent-chip" data-agent="${esc(a.agentId)}" title="${esc(a.description || a.agentId)}">
    <span class="agent-type">${esc(a.agentType || 'agent')}</span>${a.currentTool
      ? `<span class="agent-tool">${esc(a.currentTool)} <span data-since="${a.toolStartedAt || Date.now()}"></span></span>`
      : '<span class="agent-tool muted">thinking</span>'}</li>`;
}

function tokenTitle(usage) {
  const t = usage.tokens || {};
  return `tokens: ${t.input || 0} in, ${t.output || 0} out, ${t.cacheRead || 0} cache read, ${
    t.cacheCreation || 0} cache write; ${usage.apiErrors || 0} API errors`;
}

function count(n, noun) {
  n = n || 0;
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function emptyCard(i, hint) {
  return `<header class="card-head"><span class="table-no" title="tableIndex ${i} in the API">T${i}</span><span class="team muted">free</span></header>
    <div class="empty muted">${hint || 'no session'}</div>`;
}
