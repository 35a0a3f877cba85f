// Wires the dashboard: one connection, one store, four views. Rendering is batched to one frame.

import { Connection } from './connection.js';
import { Store } from './store.js';
import { SessionColors } from './colors.js';
import { TablesView } from './tables.js';
import { StreamView } from './stream.js';
import { Pulse } from './pulse.js';
import { DetailView } from './detail.js';
import { esc } from './format.js';

const $ = id => document.getElementById(id);

const store = new Store();
const colors = new SessionColors(store);
let ingestBase = null;
let metrics = null;

const tables = new TablesView($('tables'), $('queue'), $('queue-list'), $('tables-summary'), store, colors, hint);
const detail = new DetailView($('detail'), $('detail-title'), $('detail-note'), $('detail-json'), $('detail-close'),
  () => ingestBase);
const stream = new StreamView({
  list: $('events'), foot: $('stream-foot'), pauseBtn: $('pause'),
  session: $('f-session'), agent: $('f-agent'), type: $('f-type'), text: $('f-text'),
}, colors, env => detail.show(env));
const pulse = new Pulse($('pulse'), $('pulse-legend'), $('pulse-rate'), colors);

let frame = 0;
function renderSoon() {
  if (!frame) frame = requestAnimationFrame(() => { frame = 0; render(); });
}

function render() {
  tables.render();
  $('kpi-sessions').textContent = store.sessions.size;
  $('kpi-agents').textContent = store.agentCount();
  const waiting = [...store.sessions.values()].filter(s => s.status === 'waiting').length;
  $('kpi-waiting').textContent = waiting;
  $('kpi-waiting').parentElement.classList.toggle('alert', waiting > 0);
  pulse.drawSoon();
  $('kpi-epm').textContent = metrics ? metrics.eventsPerMinute : pulse.perMinute();
  $('kpi-clients').textContent = metrics ? metrics.connectedClients : '–';
}

store.onChange(renderSoon);

const connection = new Connection(new URL('eventbus', location.href).href, {
  onSnapshot: (snapshot, { reset }) => store.load(snapshot, { reset }),
  onEnvelope: env => {
    store.apply(env);
    stream.add(env);
    pulse.record(env, true);
  },
  onBacklog: envs => {
    envs.forEach(e => pulse.record(e, false));
    pulse.drawSoon();
    stream.addBacklog(envs);
  },
  onGap: (from, to) => stream.gap(from, to),
  onMetrics: body => {
    metrics = body;
    renderSoon();
  },
  onStatus: state => {
    const el = $('conn');
    el.dataset.state = state;
    el.querySelector('.label').textContent = state;
    document.body.dataset.conn = state;
  },
});

function hint() {
  const url = (ingestBase || 'http://127.0.0.1:3847') + '/api/events';
  const body = '{"type":"tool:pre","payload":{"sessionId":"demo","toolName":"Bash"}}';
  return 'No sessions yet. Send one:<code class="hint">'
    + `curl -X POST ${esc(url)} -H 'content-type: application/json' -d '${esc(body)}'</code>`;
}

async function loadConfig(attempt = 0) {
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    const config = response.ok ? await response.json() : {};
    if (config.ingestPort) {
      ingestBase = `${location.protocol}//${location.hostname}:${config.ingestPort}`;
      renderSoon();
      return;
    }
  } catch (e) {
    // the bridge may be restarting; the dashboard works without it
  }
  if (attempt < 10) setTimeout(() => loadConfig(attempt + 1), 1000 * (attempt + 1));
}

loadConfig();
connection.start();
setInterval(() => {
  tables.tick();
  pulse.draw();
  if (!metrics) renderSoon();
}, 1000);

// A read-only handle for people poking around in the dev tools, and for the browser tests.
window.hookbus = { store, connection, stream };
