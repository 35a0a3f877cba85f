// The page's copy of the session state: the snapshot from hookbus.sync, then the view changes each envelope carries
// (envelope.view, made by the server's state actor: the fields of each session's view that changed, null for a
// session that closed, the queue when it changed). No state rule lives here: the page applies, never derives.

export class Store {
  constructor() {
    this.seq = 0;
    this.tables = 0;
    this.teams = [];
    this.sessions = new Map();
    this.queue = [];
    this.approvals = new Map(); // pending approvals by id, oldest first
    this.listeners = new Set();
    this.stale = false;    // an envelope did not fit the local state: the connection takes a fresh snapshot
  }

  onChange(listener) {
    this.listeners.add(listener);
  }

  teamOf(session) {
    return this.teams.find(t => t.key === session.teamKey)
      || { key: session.teamKey, name: session.teamKey, color: '#888888' };
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

  /** Replaces the state with a snapshot. */
  load(snapshot) {
    this.approvals = new Map();
    for (const a of snapshot.approvals || []) this.approvals.set(a.id, a);
    this.seq = snapshot.seq;
    this.tables = snapshot.tables;
    this.teams = snapshot.teams || [];
    this.sessions = new Map();
    for (const view of snapshot.sessions || []) this.sessions.set(view.sessionId, patch({}, view));
    this.queue = [...(snapshot.queue || [])];
    this.stale = false;
    this.changed();
  }

  /** Applies what an envelope changed; returns false when it does not fit (then a fresh snapshot is due). */
  apply(env) {
    if (env.seq <= this.seq) return true; // the snapshot already holds it
    this.seq = env.seq;
    if (env.type.startsWith('approval:')) {
      // hookbus's own envelopes about a permission request: the inbox's (what they do to the session is in the view)
      const p = env.payload || {};
      if (env.type === 'approval:pending') this.approvals.set(p.id, p);
      else this.approvals.delete(p.id);
    }
    const view = env.view;
    if (!view) {
      // Every envelope of a session carries a view; one without was published by a hookbus before views.
      if (env.sessionId) this.stale = true;
      return !this.stale;
    }
    for (const [id, change] of Object.entries(view.sessions || {})) {
      const s = this.sessions.get(id);
      if (change === null) this.sessions.delete(id);
      else if (s) patch(s, change);
      else if (change.sessionId === id) this.sessions.set(id, patch({}, change));
      else this.stale = true; // a change to a session this page never got whole
    }
    if (view.queue) this.queue = [...view.queue];
    this.changed();
    return !this.stale;
  }

  changed() {
    for (const listener of this.listeners) listener(this);
  }
}

/** Sets a view's fields on a session; its agents are kept as a Map by id. */
function patch(session, fields) {
  Object.assign(session, fields);
  if (fields.agents || !session.agents) {
    session.agents = new Map((fields.agents || []).map(a => [a.agentId, { ...a }]));
  }
  return session;
}
