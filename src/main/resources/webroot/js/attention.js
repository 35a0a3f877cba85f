// Getting someone's attention when a session waits for them and the tab is in the background: the count in the
// title and the favicon, and (opted in with the header's "Notify me") a browser notification naming the session.
// Runs on every store change, not in the render batch: a hidden tab gets no animation frames.

import { basename, shortId } from './format.js';

const OPT_IN = 'hookbus.notify';

export class Attention {
  constructor(store, button) {
    this.store = store;
    this.button = button;
    this.baseTitle = document.title;
    this.icon = document.querySelector('link[rel="icon"]');
    this.baseIcon = this.icon ? this.icon.href : null;
    this.shown = null;
    this.told = new Set();
    document.addEventListener('visibilitychange', () => this.update());
    if (button && 'Notification' in window && Notification.permission !== 'denied') {
      button.hidden = this.optedIn();
      button.addEventListener('click', () => Notification.requestPermission().then(permission => {
        if (permission === 'granted') localStorage.setItem(OPT_IN, 'on');
        button.hidden = this.optedIn() || permission === 'denied';
      }));
    }
  }

  optedIn() {
    return 'Notification' in window && Notification.permission === 'granted' && localStorage.getItem(OPT_IN) === 'on';
  }

  update() {
    const count = this.store.approvals.size;
    const state = document.hidden && count > 0 ? count : 0;
    if (state !== this.shown) {
      this.shown = state;
      document.title = state ? `(${state}) waiting · ${this.baseTitle}` : this.baseTitle;
      if (this.icon) this.icon.href = state ? badge(state) : this.baseIcon;
    }
    for (const id of this.told) if (!this.store.approvals.has(id)) this.told.delete(id);
    for (const a of this.store.approvals.values()) {
      if (this.told.has(a.id)) continue;
      this.told.add(a.id);
      if (document.hidden && this.optedIn()) this.notify(a);
    }
  }

  notify(a) {
    const s = this.store.sessions.get(a.sessionId);
    const where = (s && basename(s.cwd)) || shortId(a.sessionId);
    const input = a.toolInput && (a.toolInput.command || a.toolInput.file_path || a.toolInput.url);
    const n = new Notification(`${where} waits for you`, {
      body: (a.kind === 'elicitation' ? [a.server, a.message] : [a.toolName, input]).filter(Boolean).join(': ')
        .slice(0, 200), tag: a.id,
    });
    n.onclick = () => {
      window.focus();
      n.close();
    };
  }
}

/** An amber dot with the count, as an SVG data URL. */
function badge(count) {
  const text = count > 9 ? '9+' : String(count);
  const svg = `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><circle cx='8' cy='8' r='8' fill='#e5a000'/>`
    + `<text x='8' y='12' font-size='${text.length > 1 ? 8 : 11}' font-family='sans-serif' font-weight='700' `
    + `text-anchor='middle' fill='#1c2024'>${text}</text></svg>`;
  return 'data:image/svg+xml,' + encodeURIComponent(svg);
}
