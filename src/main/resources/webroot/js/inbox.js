// The "waiting for you" inbox: every pending approval (sessions still queued for a table included), with the tool and
// its input cut to what a person needs to decide, and Allow / Deny (with a message) / "always allow" when Claude Code
// offered a rule. A decision is a request on hookbus.approvals.decide; the card leaves when the approval:decided (or
// expired / superseded) envelope arrives, on every open dashboard. Cards are keyed by approval id, so a message being
// typed survives re-renders. An MCP server's question (kind "elicitation") gets its own body (js/elicitation.js).

import { esc, shortId, basename, duration } from './format.js';
import { elicitationBody, elicitationAnswer } from './elicitation.js';

const MAX_LINES = 12;
const MAX_CHARS = 1200;
const DIFF_LINES = 8;
const SENDING = { accept: 'accepting…', decline: 'declining…', cancel: 'cancelling…' };

export class InboxView {
  /** @param decide (body) => Promise: sends {id, behavior, …} to hookbus.approvals.decide */
  constructor(root, store, colors, decide) {
    this.root = root;
    this.store = store;
    this.colors = colors;
    this.decide = decide;
    this.cards = new Map();
    root.innerHTML = `<div class="panel-head"><h2 id="h-inbox">Waiting for you <span class="inbox-count"></span></h2>
      <span class="muted">decide here, or in the terminal: the first answer wins</span></div>
      <ol class="approvals" aria-labelledby="h-inbox"></ol>`;
    this.list = root.querySelector('.approvals');
    this.countEl = root.querySelector('.inbox-count');
    this.list.addEventListener('click', e => this.clicked(e));
    this.list.addEventListener('keydown', e => {
      if (e.key === 'Enter' && e.target.classList.contains('ap-message')) this.send(e.target.closest('.approval'), 'deny');
    });
  }

  render() {
    const pending = [...this.store.approvals.values()].sort((a, b) => a.requestedAt - b.requestedAt);
    this.root.hidden = pending.length === 0;
    this.countEl.textContent = pending.length ? `(${pending.length})` : '';
    const live = new Set(pending.map(a => a.id));
    for (const [id, el] of this.cards) {
      if (!live.has(id)) {
        el.remove();
        this.cards.delete(id);
      }
    }
    let previous = null;
    for (const approval of pending) {
      let el = this.cards.get(approval.id);
      if (!el) {
        el = document.createElement('li');
        el.className = 'approval';
        el.dataset.id = approval.id;
        el.innerHTML = this.card(approval);
        this.cards.set(approval.id, el);
      }
      this.refreshWhere(el, approval);
      const next = previous ? previous.nextSibling : this.list.firstChild;
      if (next !== el) this.list.insertBefore(el, next);
      previous = el;
    }
    this.tick();
  }

  /** The countdowns, once a second. */
  tick() {
    const now = Date.now();
    for (const el of this.cards.values()) {
      const left = el.querySelector('.ap-left');
      const text = duration(Number(left.dataset.expires) - now) + ' left';
      if (left.textContent !== text) left.textContent = text;
    }
  }

  card(a) {
    return this.head(a) + (a.kind === 'elicitation' ? elicitationBody(a) : permissionBody(a));
  }

  head(a) {
    return `
      <div class="ap-head">
        <span class="swatch" style="background:${esc(this.colors.of(a.sessionId))}"></span>
        <strong class="ap-where"></strong>
        <span class="sid" title="${esc(a.sessionId)}">${esc(shortId(a.sessionId))}</span>
        ${a.agentId ? `<span class="muted">agent ${esc(shortId(a.agentId))}</span>` : ''}
        <span class="ap-left" data-expires="${esc(a.expiresAt)}"></span>
      </div>`;
  }

  refreshWhere(el, a) {
    const s = this.store.sessions.get(a.sessionId);
    const where = [s && basename(s.cwd), s ? (s.tableIndex == null ? 'queued for a table' : `T${s.tableIndex + 1}`)
      : null].filter(Boolean).join(' · ') || 'session';
    const target = el.querySelector('.ap-where');
    if (target.textContent !== where) target.textContent = where;
  }

  clicked(e) {
    const button = e.target.closest('button[data-act]');
    if (button) this.send(button.closest('.approval'), button.dataset.act);
  }

  send(el, act) {
    const approval = this.store.approvals.get(el.dataset.id);
    if (!approval || el.classList.contains('sending')) return;
    if (approval.kind === 'elicitation') {
      this.deliver(el, elicitationAnswer(el, approval, act), SENDING[act]);
      return;
    }
    const body = { id: approval.id, behavior: act === 'deny' ? 'deny' : 'allow' };
    if (act === 'deny') {
      const message = el.querySelector('.ap-message').value.trim();
      if (message) body.message = message;
    }
    if (act === 'always') {
      const suggestion = always(approval.suggestions);
      if (suggestion) body.updatedPermissions = [suggestion];
    }
    this.deliver(el, body, act === 'deny' ? 'denying…' : 'allowing…');
  }

  deliver(el, body, sending) {
    el.classList.add('sending');
    el.querySelectorAll('button').forEach(b => { b.disabled = true; });
    note(el, sending);
    this.decide(body).then(() => note(el, 'sent')).catch(err => {
      el.classList.remove('sending');
      el.querySelectorAll('button').forEach(b => { b.disabled = false; });
      note(el, 'not sent: ' + ((err && err.message) || err), true);
    });
  }
}

/** A permission request's body: the tool and its input, Allow / Always allow / Deny with a message. */
function permissionBody(a) {
  const suggestion = always(a.suggestions);
  const input = describe(a.toolName, a.toolInput);
  return `
      <div class="ap-tool"><span class="tool-name">${esc(a.toolName || 'a tool')}</span>
        ${input.title ? `<span class="ap-title">${esc(input.title)}</span>` : ''}</div>
      ${input.body ? `<pre class="ap-input${input.diff ? ' diff' : ''}">${input.body}</pre>` : ''}
      <div class="ap-actions">
        <button type="button" class="btn allow" data-act="allow">Allow</button>
        ${suggestion ? `<button type="button" class="btn always" data-act="always"
          title="allow, and add this rule to ${esc(suggestion.destination || 'the settings')}">Always allow
          <code>${esc(rule(suggestion))}</code></button>` : ''}
        <input class="ap-message" type="text" maxlength="2000" placeholder="why not (optional, Claude sees it)"
          aria-label="message for Claude if you deny">
        <button type="button" class="btn deny" data-act="deny">Deny</button>
      </div>
      <p class="ap-note" role="status"></p>`;
}

function note(el, text, error = false) {
  const p = el.querySelector('.ap-note');
  p.textContent = text;
  p.classList.toggle('error', error);
}

/**
 * The suggestion "always allow" sends: an allow rule when Claude Code offers one (Bash(cargo test:*)); for a command
 * that writes files 2.1.332 offers none, only "accept edits" for the session (which lets the same command run again
 * without asking) and the working directory (which does not), in that order of use.
 */
function always(suggestions) {
  const rank = s => (s.type === 'addRules' || s.type === 'replaceRules') && s.behavior === 'allow' ? 0
    : s.type === 'setMode' && s.mode === 'acceptEdits' ? 1
      : s.type === 'addDirectories' ? 2 : -1;
  return (suggestions || []).filter(s => s && rank(s) >= 0).sort((a, b) => rank(a) - rank(b))[0];
}

/** What a rule suggestion would allow, in Claude Code's own notation where there is one. */
function rule(s) {
  if (s.type === 'addRules' || s.type === 'replaceRules') {
    return (s.rules || []).map(r => r.ruleContent ? `${r.toolName}(${r.ruleContent})` : r.toolName).join(', ');
  }
  if (s.type === 'setMode') return s.mode === 'acceptEdits' ? 'file edits, this session' : 'mode ' + s.mode;
  if (s.type === 'addDirectories') return (s.directories || []).join(', ');
  return s.type || 'rule';
}

/** The input as a title and an escaped body, cut to a dozen lines: a command, a file and its diff, a pattern. */
function describe(tool, input) {
  if (input == null) return {};
  if (typeof input !== 'object') return { body: cut(String(input)) };
  switch (tool) {
    case 'Bash': return { title: input.description, body: cut(input.command || '') };
    case 'Edit': return { title: input.file_path, body: diff(input.old_string, input.new_string), diff: true };
    case 'MultiEdit': {
      const edits = input.edits || [];
      const first = edits[0] || {};
      return { title: `${input.file_path} · ${edits.length} edit${edits.length === 1 ? '' : 's'}`,
        body: diff(first.old_string, first.new_string), diff: true };
    }
    case 'Write': return { title: input.file_path, body: cut(input.content || '', DIFF_LINES) };
    case 'NotebookEdit': return { title: input.notebook_path, body: cut(input.new_source || '', DIFF_LINES) };
    case 'WebFetch': return { title: input.url, body: cut(input.prompt || '') };
    default: {
      const one = input.file_path || input.path || input.pattern || input.url || input.query;
      return one && Object.keys(input).length <= 2 ? { title: String(one) }
        : { body: cut(JSON.stringify(input, null, 2)) };
    }
  }
}

function diff(before, after) {
  const side = (text, mark, cls) => lines(text || '', DIFF_LINES)
    .map(line => `<span class="${cls}">${mark} ${esc(line)}</span>`).join('\n');
  return [side(before, '-', 'del'), side(after, '+', 'add')].filter(Boolean).join('\n');
}

function cut(text, maxLines = MAX_LINES) {
  return esc(lines(text, maxLines).join('\n'));
}

function lines(text, maxLines) {
  let t = String(text);
  if (t.length > MAX_CHARS) t = t.slice(0, MAX_CHARS) + '…';
  const all = t.split('\n');
  return all.length > maxLines ? [...all.slice(0, maxLines), `… ${all.length - maxLines} more lines`] : all;
}
