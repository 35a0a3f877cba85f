// One color per session, derived from its team's color: the first session of a team gets the team color, later
// ones a lighter or darker shade, so two sessions of one team still tell apart in the pulse and the stream.
// A session keeps its color for the life of the page, also after it ended.

import { basename, shortId } from './format.js';

const SHADES = [0, 0.38, -0.3, 0.6, -0.5];

export class SessionColors {
  constructor(store) {
    this.store = store;
    this.bySession = new Map();
    this.perTeam = new Map();
    this.labels = new Map();
  }

  /** A session's name for people: its project folder once known, else its short id. */
  label(sessionId) {
    if (!sessionId) return '—';
    const session = this.store.sessions.get(sessionId);
    if (session && session.cwd) this.labels.set(sessionId, basename(session.cwd));
    return this.labels.get(sessionId) || shortId(sessionId);
  }

  of(sessionId) {
    if (!sessionId) return '#8b8d98';
    let color = this.bySession.get(sessionId);
    if (color) return color;
    const session = this.store.sessions.get(sessionId);
    if (!session) return '#8b8d98'; // not open on this page (yet): decide when it is
    const team = this.store.teamOf(session);
    const n = this.perTeam.get(team.key) || 0;
    this.perTeam.set(team.key, n + 1);
    color = shade(team.color || '#888888', SHADES[n % SHADES.length]);
    this.bySession.set(sessionId, color);
    return color;
  }
}

function shade(hex, amount) {
  const n = parseInt(hex.slice(1), 16);
  const channels = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map(c =>
    Math.round(amount >= 0 ? c + (255 - c) * amount : c * (1 + amount)));
  return '#' + channels.map(c => c.toString(16).padStart(2, '0')).join('');
}
