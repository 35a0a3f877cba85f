// Wires the dashboard: one connection, one store, four views. Envelopes update the model as they come; the DOM
// catches up in one batch, at most once a frame and at most every RENDER_GAP_MS.

import { Connection } from './connection.js';
import { Store } from './store.js';
import { SessionColors } from './colors.js';
import { TablesView } from './tables.js';
import { StreamView } from './stream.js';
import { Pulse } from './pulse.js';
import { DetailView } from './detail.js';
import { InboxView } from './inbox.js';
import { Attention } from './attention.js';
import { esc } from './format.js';
import { FrameBatch, setText } from './frame.js';
import { UsageView } from './usage.js';

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
const inbox = new InboxView($('inbox'), store, colors, body => connection.request('hookbus.approvals.decide', body));
const attention = new Attention(store, $('notify'));
const pulse = new Pulse($('pulse'), $('pulse-legend'), $('pulse-rate'), colors);
const usage = new UsageView($('kpi-cost'), $('cost-chart'), $('cost-caption'), () => ingestBase);
// A card opens its session in the detail panel: its usage and its API requests.
$('tables').addEventListener('click', e => {
  const card = e.target.closest('.table-card[data-session]');
  const s = card && card.dataset.session ? store.sessions.get(card.dataset.session) : null;
  if (s) detail.showSession(s);
});

const frame = new FrameBatch(render, RENDER_GAP_MS, BUSY_RENDER_GAP_MS);
const renderSoon = () => frame.request();
const kpis = { sessions: $('kpi-sessions'), agents: $('kpi-agents'), waiting: $('kpi-waiting'), epm: $('kpi-epm'),
  clients: $('kpi-clients') };

function render() {
  inbox.render();
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
store.onChange(() => attention.update());

// With bridge.tokens set, open the page as /#token=<viewer token> (the fragment never reaches a server's logs).
const viewerToken = new URLSearchParams(location.hash.slice(1)).get('token');
const bridgeUrl = new URL('eventbus', location.href);
bridgeUrl.hash = '';
if (viewerToken) bridgeUrl.search = '?token=' + encodeURIComponent(viewerToken);
const connection = new Connection(bridgeUrl.href, {
  onSnapshot: snapshot => store.load(snapshot),
  onEnvelope: env => {
    tables.touch(env);
    if (!store.apply(env)) connection.resync();
    stream.add(env);
    pulse.record(env, true);
    pulse.drawSoon();
    if (env.type === 'usage:update') usage.refreshSoon();
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
      usage.refresh();
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
  inbox.tick();
  pulse.tick();
  if (!metrics) renderSoon();
}, 1000);

// A read-only handle for people poking around in the dev tools, and for the browser tests.
window.hookbus = { store, connection, stream, usage };
