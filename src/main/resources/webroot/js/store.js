// The page's copy of the session state: a snapshot from hookbus.sync plus the envelopes after it, applied with
// the same rules as the server's SessionRegistry. Every snapshot replaces the local state, so a rule applied
// slightly differently here can never drift for longer than one refresh.

const RECENT_CAP = 4000;
const PREVIEW_CHARS = 280; // as SessionRegistry.preview
const WAIT_REASONS = { permission_prompt: 'permission', idle_prompt: 'input', elicitation_dialog: 'elicitation' };

export class Store {
  constructor() {
    this.seq = 0;
    this.tables = 0;
    this.teams = [];
    this.sessions = new Map();
    this.queue = [];
    this.approvals = new Map(); // pending approvals by id, oldest first
    this.recent = [];      // envelopes already delivered, replayed onto each snapshot that is older than them
    this.listeners = new Set();
    this.stale = false;    // an envelope did not fit the local state: the next snapshot fixes it
  }

  onChange(listener) {
    this.listeners.add(listener);
  }

  teamOf(session) {
    return this.teams.find(t => t.key === session.teamKey)
      || { key: session.teamKey, name: session.teamKey, color: '#888888' };
  }

  teamFor(sessionId) {
    if (!this.teams.length) return null;
    return this.teams[floorMod(javaHash(sessionId), this.teams.length)];
  }

  sessionAt(tableIndex) {
    for (const s of this.sessions.values()) {
      if (s.tableIndex === tableIndex) return s;
    }
    return null;
  }

  agentCount() {
    let n = 0;
    for (const s of this.sessions.values()) n += s.agents.size;
    return n;
  }

  /** Replaces the state with a snapshot, then re-applies what was delivered after it. */
  load(snapshot, { reset = false } = {}) {
    if (reset) this.recent = [];
    this.seq = snapshot.seq;
    this.tables = snapshot.tables;
    this.teams = snapshot.teams || [];
    this.sessions = new Map();
    for (const view of snapshot.sessions || []) {
      const agents = new Map();
      for (const a of view.agents || []) agents.set(a.agentId, { ...a });
      this.sessions.set(view.sessionId, { ...view, agents });
    }
    this.queue = [...(snapshot.queue || [])];
    this.approvals = new Map();
    for (const a of snapshot.approvals || []) this.approvals.set(a.id, a);
    this.stale = false;
    const oldest = this.recent.length ? this.recent[0].seq : Infinity;
    if (oldest > this.seq + 1 && this.recent.length && this.recent[this.recent.length - 1].seq > this.seq) {
      this.stale = true; // more went by than we kept: the next refresh catches up
    }
    for (const env of this.recent) {
      if (env.seq > this.seq) this.transition(env);
    }
    this.changed();
  }

  apply(env) {
    this.recent.push(env);
    if (this.recent.length > RECENT_CAP + RECENT_CAP / 10) this.recent.splice(0, this.recent.length - RECENT_CAP);
    if (env.seq <= this.seq) return; // a snapshot already holds it
    this.transition(env);
    this.changed();
  }

  changed() {
    for (const listener of this.listeners) listener(this);
  }

  transition(env) {
    this.seq = env.seq;
    const p = env.payload || {};
    const id = env.sessionId;
    if (env.type.startsWith('approval:')) {
      // hookbus's own envelopes about a permission request: the inbox's, not the session's (the server counts none).
      if (env.type === 'approval:pending') this.approvals.set(p.id, p);
      else this.approvals.delete(p.id);
      const owner = this.sessions.get(id);
      if (env.type === 'approval:decided' && owner && owner.status === 'waiting' && owner.waitingFor === 'permission') {
        if (p.decision && p.decision.behavior === 'allow') activate(owner);
        else permissionRefused(owner, env.agentId ? owner.agents.get(env.agentId) : null);
      }
      return;
    }
    if (!id) return;
    let s = this.sessions.get(id);
    if (env.type === 'session:end') {
      if (s) this.close(s);
      return;
    }
    if (!s && env.type.startsWith('usage:')) return; // the exit export of a session that ended: no card again
    if (!s) {
      s = this.open(id, env, p);
      if (env.type !== 'session:start') this.stale = true; // its session:start was not seen
    }
    const derived = env.type === 'session:table' || (env.type === 'session:start' && p.autoOpened === true);
    if (!derived) {
      s.lastEventAt = Math.max(s.lastEventAt || 0, env.receivedAt || 0);
      s.events = (s.events || 0) + 1;
    }
    if (typeof p.cwd === 'string') s.cwd = p.cwd;
    // as SessionRegistry: a usage event names the session's model only when it has none yet
    if (typeof p.model === 'string' && !(s.model && env.type.startsWith('usage:'))) s.model = p.model;
    if (typeof p.lastMessage === 'string') s.lastMessage = preview(p.lastMessage);
    if (typeof p.contextPercent === 'number') s.contextPercent = p.contextPercent;
    const agent = env.agentId ? s.agents.get(env.agentId) : null;
    switch (env.type) {
      case 'session:start': activate(s); break;
      case 'session:table':
        s.tableIndex = p.tableIndex;
        this.queue = this.queue.filter(q => q !== id);
        break;
      case 'subagent:start': {
        for (const other of this.sessions.values()) {
          if (other !== s) other.agents.delete(env.agentId); // an agent id lives in one session only
        }
        const a = s.agents.get(env.agentId)
          || { agentId: env.agentId, createdAt: env.timestamp, currentTool: null, toolStartedAt: null };
        if (typeof p.agentType === 'string') a.agentType = p.agentType;
        if (typeof p.description === 'string') a.description = preview(p.description);
        s.agents.set(env.agentId, a);
        break;
      }
      case 'subagent:stop': s.agents.delete(env.agentId); break;
      case 'usage:update':
        s.usage = p.usage || null;
        if (typeof p.costUsd === 'number') s.costUsd = p.costUsd;
        break;
      case 'context:update':
        if (typeof p.percent === 'number') s.contextPercent = p.percent;
        if (typeof p.tokens === 'number') s.tokensUsed = p.tokens;
        if (typeof p.windowSize === 'number') s.contextWindow = p.windowSize;
        // as the server's Session.view: OpenTelemetry's cost, once it gave one, wins over the status line's
        if (typeof p.costUsd === 'number' && !otelCost(s)) s.costUsd = p.costUsd;
        break;
      case 'tool:pre':
        s.toolCalls = (s.toolCalls || 0) + 1;
        activate(s);
        setTool(agent || s, typeof p.toolName === 'string' ? p.toolName : null, env.timestamp);
        break;
      case 'tool:post':
      case 'tool:failure':
        if (env.type === 'tool:failure') s.toolFailures = (s.toolFailures || 0) + 1;
        activate(s);
        setTool(agent || s, null, null);
        break;
      case 'prompt:submit':
        s.prompts = (s.prompts || 0) + 1;
        activate(s);
        break;
      case 'permission:request': waitFor(s, 'permission', typeof p.toolName === 'string' ? p.toolName : null); break;
      case 'elicitation': waitFor(s, 'elicitation', typeof p.message === 'string' ? p.message : null); break;
      case 'notification': {
        const reason = WAIT_REASONS[p.notificationType];
        if (reason) waitFor(s, reason, typeof p.message === 'string' ? preview(p.message) : null);
        break;
      }
      case 'claude:post-tool-batch': // after a denial, the only hook that follows (as SessionRules)
        if (s.status === 'waiting' && s.waitingFor === 'permission') permissionRefused(s, agent);
        break;
      case 'turn:stop':
        s.status = 'idle';
        s.waitingFor = null;
        s.waitingDetail = null;
        setTool(s, null, null);
        break;
      default:
    }
  }

  open(id, env, p) {
    const team = p.teamKey ? { key: p.teamKey } : this.teamFor(id);
    const tableIndex = typeof p.tableIndex === 'number' ? p.tableIndex : null;
    const s = {
      sessionId: id, teamKey: team ? team.key : null, tableIndex, contextPercent: p.contextPercent || 0,
      tokensUsed: 0, contextWindow: null, costUsd: null, agents: new Map(), status: 'active', waitingFor: null,
      waitingDetail: null, currentTool: null, toolStartedAt: null, toolCalls: 0, toolFailures: 0, prompts: 0,
      events: 0, cwd: null, model: null, lastMessage: null, createdAt: env.receivedAt, lastEventAt: env.receivedAt,
    };
    this.sessions.set(id, s);
    if (tableIndex == null && !this.queue.includes(id)) this.queue.push(id);
    return s;
  }

  close(s) {
    this.sessions.delete(s.sessionId);
    this.queue = this.queue.filter(q => q !== s.sessionId);
  }
}

function otelCost(s) {
  return !!s.usage && (s.usage.costSource === 'metrics' || s.usage.apiRequests > 0);
}

function activate(s) {
  s.status = 'active';
  s.waitingFor = null;
  s.waitingDetail = null;
}

/** The tool that asked will not run: it no longer counts, and the session goes on. */
function permissionRefused(s, agent) {
  if (s.toolCalls > 0) s.toolCalls--;
  activate(s);
  setTool(agent || s, null, null);
}

function waitFor(s, reason, detail) {
  s.status = 'waiting';
  s.waitingFor = reason;
  s.waitingDetail = detail;
}

function preview(text) {
  return text.length <= PREVIEW_CHARS ? text : text.slice(0, PREVIEW_CHARS) + '…';
}

function setTool(target, tool, startedAt) {
  target.currentTool = tool;
  target.toolStartedAt = startedAt;
}

/** Java's String.hashCode, so the page picks the same team as the server for a session it has not seen start. */
export function javaHash(text) {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

function floorMod(a, n) {
  return ((a % n) + n) % n;
}
