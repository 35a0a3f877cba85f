// Wires the dashboard: one connection, one store, four views. Envelopes update the model as they come; the DOM
// catches up in one batch, at most once a frame and at most every RENDER_GAP_MS.

import { Connection } from './connection.js';
import { Store } from './store.js';
import { SessionColors } from './colors.js';
import { TablesView } from './tables.js';
import { StreamView } from './stream.js';
import { Pulse } from './pulse.js';
import { DetailView } from './detail.js';
import { esc } from './format.js';
import { FrameBatch, setText } from './frame.js';

const $ = id => document.getElementById(id);
const RENDER_GAP_MS = 100;
const BUSY_RENDER_GAP_MS = 250; // after a batch of more than twenty envelopes

const store = new Store();
const colors = new SessionColors(store);
let ingestBase = null;
let metrics = null;

const tables = new TablesView($('tables'), $('queue'), $('queue-list'), $('tables-summary'), store, colors, hint);
const detail = new DetailView($('detail'), $('detail-title'), $('detail-note'), $('detail-json'), $('detail-close'),
  () => ingestBase);
const stream = new StreamView({
  box: $('events-box'), list: $('events'), foot: $('stream-foot'), pauseBtn: $('pause'),
  session: $('f-session'), agent: $('f-agent'), type: $('f-type'), text: $('f-text'),
}, colors, env => detail.show(env), () => renderSoon());
const pulse = new Pulse($('pulse'), $('pulse-legend'), $('pulse-rate'), colors);

const frame = new FrameBatch(render, RENDER_GAP_MS, BUSY_RENDER_GAP_MS);
const renderSoon = () => frame.request();
const kpis = { sessions: $('kpi-sessions'), agents: $('kpi-agents'), waiting: $('kpi-waiting'), epm: $('kpi-epm'),
  clients: $('kpi-clients') };

function render() {
  tables.render();
  stream.render();
  setText(kpis.sessions, store.sessions.size);
  setText(kpis.agents, store.agentCount());
  let waiting = 0;
  for (const s of store.sessions.values()) if (s.status === 'waiting') waiting++;
  setText(kpis.waiting, waiting);
  const alert = waiting > 0;
  if (kpis.waiting.parentElement.classList.contains('alert') !== alert) {
    kpis.waiting.parentElement.classList.toggle('alert', alert);
  }
  setText(kpis.epm, metrics ? metrics.eventsPerMinute : pulse.perMinute());
  setText(kpis.clients, metrics ? metrics.connectedClients : '–');
}

store.onChange(renderSoon);

const connection = new Connection(new URL('eventbus', location.href).href, {
  onSnapshot: snapshot => store.load(snapshot),
  onEnvelope: env => {
    tables.touch(env);
    if (!store.apply(env)) connection.resync();
    stream.add(env);
    pulse.record(env, true);
    pulse.drawSoon();
  },
  onBacklog: envs => {
    envs.forEach(e => pulse.record(e, false));
    pulse.draw(); // once, at page load: the chart shows the last minutes straight away
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
      tables.touchAll(); // the hint on the first free table names the ingest port
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
// The page's only timer: the running times and "ago" labels, the pulse moving on, and the events/min figure until
// hookbus.metrics reports it. A hidden tab skips it.
setInterval(() => {
  if (document.hidden) return;
  tables.tick();
  pulse.tick();
  if (!metrics) renderSoon();
}, 1000);

// A read-only handle for people poking around in the dev tools, and for the browser tests.
window.hookbus = { store, connection, stream };
