// Small text helpers shared by the views. Everything that reaches innerHTML goes through esc().

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(value) {
  return value == null ? '' : String(value).replace(/[&<>"']/g, c => ESCAPES[c]);
}

export function shortId(id) {
  if (!id) return '–';
  return id.length > 10 ? id.slice(0, 8) + '…' : id;
}

export function clip(text, max = 120) {
  if (text == null) return '';
  const s = String(text).replace(/\s+/g, ' ').trim();
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

export function duration(ms) {
  if (ms == null || ms < 0) ms = 0;
  const s = Math.floor(ms / 1000);
  if (s < 60) return s + 's';
  const m = Math.floor(s / 60);
  if (m < 60) return m + 'm ' + String(s % 60).padStart(2, '0') + 's';
  const h = Math.floor(m / 60);
  return h + 'h ' + String(m % 60).padStart(2, '0') + 'm';
}

export function tokens(n) {
  if (n == null || n === 0) return '0';
  if (n >= 1e6) return (n / 1e6).toFixed(n >= 1e7 ? 0 : 1) + 'M';
  if (n >= 1e3) return (n / 1e3).toFixed(n >= 1e4 ? 0 : 1) + 'k';
  return String(n);
}

export function clock(ms) {
  const d = new Date(ms);
  return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}

export function basename(path) {
  if (!path) return '';
  const parts = String(path).split(/[\\/]/).filter(Boolean);
  return parts.length ? parts[parts.length - 1] : path;
}

/** A one-line summary of what an envelope says, for the stream. */
export function summary(env) {
  const p = env.payload || {};
  switch (env.type) {
    case 'tool:pre':
    case 'tool:post':
    case 'tool:failure':
      return [p.toolName, toolArgument(p.toolInput), env.type === 'tool:failure' ? p.error : null]
        .filter(Boolean).join(' · ');
    case 'prompt:submit': return p.prompt;
    case 'permission:request': return 'permission for ' + (p.toolName || 'a tool');
    case 'notification':
    case 'elicitation': return [p.notificationType, p.message].filter(Boolean).join(' · ');
    case 'context:update': return `${round(p.percent)}% context` + (p.tokens != null ? ` · ${tokens(p.tokens)} tokens` : '');
    case 'subagent:start':
    case 'subagent:stop': return [p.agentType, p.description].filter(Boolean).join(' · ');
    case 'session:start':
      return [p.autoOpened ? 'first seen mid-session' : p.source, basename(p.cwd), p.model,
        p.tableIndex == null ? 'queued' : 'table ' + p.tableIndex].filter(Boolean).join(' · ');
    case 'session:end': return p.reason || 'ended';
    case 'session:table': return 'got table ' + p.tableIndex;
    case 'turn:stop': return p.lastMessage || 'turn finished';
    case 'skill:use': return p.skill || p.name || JSON.stringify(p);
    case 'approval:pending': return [p.toolName, toolArgument(p.toolInput), 'waits for you'].filter(Boolean).join(' · ');
    case 'approval:decided':
      return [p.toolName, p.decision && p.decision.behavior, 'by ' + p.decidedBy].filter(Boolean).join(' · ');
    case 'approval:expired': return (p.toolName || 'approval') + ' · nobody decided in time';
    case 'approval:superseded': return (p.toolName || 'approval') + ' · answered elsewhere';
    default: return JSON.stringify(p);
  }
}

export function toolArgument(input) {
  if (!input || typeof input !== 'object') return typeof input === 'string' ? input : null;
  return input.command || input.file_path || input.filePath || input.pattern || input.url || input.query
    || input.description || null;
}

export function round(n) {
  return n == null ? 0 : Math.round(n * 10) / 10;
}
