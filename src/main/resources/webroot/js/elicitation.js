// An MCP server's question (an Elicitation hook held by hookbus) as an inbox card: the server, its message, a small
// form from requested_schema (string, number, integer, boolean, enum: the flat schemas MCP allows) and
// Accept / Decline / Cancel. A url-mode elicitation shows its URL instead of a form. The server checks the answer
// against the schema again; this form only makes a valid one easy.

import { esc } from './format.js';

const MAX_MESSAGE = 2000;

/** The card's body below its head: what is asked, the form (or URL) and the three answers. */
export function elicitationBody(a) {
  const url = a.mode === 'url' && a.url ? link(a.url) : '';
  return `
    <div class="ap-tool"><span class="tool-name">${esc(a.server || 'an MCP server')}</span>
      <span class="ap-title">asks</span></div>
    <p class="el-message">${esc(cut(a.message || ''))}</p>
    ${url}
    ${a.mode === 'url' ? '' : form(a.requestedSchema)}
    <div class="ap-actions">
      <button type="button" class="btn allow" data-act="accept">Accept</button>
      <button type="button" class="btn deny" data-act="decline">Decline</button>
      <button type="button" class="btn" data-act="cancel">Cancel</button>
    </div>
    <p class="ap-note" role="status"></p>`;
}

/** {id, action, content?} for the answer the button gave, read from the card's form. */
export function elicitationAnswer(el, approval, act) {
  const body = { id: approval.id, action: act };
  if (act !== 'accept') return body;
  const content = {};
  const properties = (approval.requestedSchema && approval.requestedSchema.properties) || {};
  for (const input of el.querySelectorAll('[data-field]')) {
    const name = input.dataset.field;
    const type = (properties[name] || {}).type;
    if (type === 'boolean') {
      content[name] = input.checked;
    } else if (input.value.trim() !== '') {
      // A number as typed (2.5 stays 2.5): hookbus refuses a non-integer for an integer field, saying which.
      content[name] = type === 'integer' || type === 'number' ? Number(input.value) : input.value;
    }
  }
  body.content = content;
  return body;
}

function form(schema) {
  const properties = (schema && schema.properties) || {};
  const required = new Set((schema && schema.required) || []);
  const rows = Object.entries(properties).map(([name, p]) => field(name, p || {}, required.has(name)));
  return rows.length ? `<div class="el-form">${rows.join('')}</div>` : '';
}

function field(name, p, required) {
  const label = `${esc(p.title || name)}${required ? ' <span class="el-required" title="required">*</span>' : ''}`;
  const help = p.description ? `<span class="el-help">${esc(p.description)}</span>` : '';
  const attrs = `data-field="${esc(name)}" name="${esc(name)}"${required ? ' required' : ''}`;
  let control;
  if (Array.isArray(p.enum)) {
    const names = Array.isArray(p.enumNames) ? p.enumNames : p.enum;
    control = `<select ${attrs}>${required ? '' : '<option value=""></option>'}${p.enum.map((v, i) =>
      `<option value="${esc(v)}"${v === p.default ? ' selected' : ''}>${esc(names[i] ?? v)}</option>`).join('')}</select>`;
  } else if (p.type === 'boolean') {
    return `<label class="el-field el-check"><input type="checkbox" ${attrs}${p.default ? ' checked' : ''}>
      <span>${label}</span>${help}</label>`;
  } else if (p.type === 'number' || p.type === 'integer') {
    control = `<input type="number" inputmode="${p.type === 'integer' ? 'numeric' : 'decimal'}"
      step="${p.type === 'integer' ? '1' : 'any'}"${bound('min', p.minimum)}${bound('max', p.maximum)}
      value="${esc(p.default ?? "")}" ${attrs}>`;
  } else {
    const kind = { email: 'email', uri: 'url', date: 'date', 'date-time': 'datetime-local' }[p.format] || 'text';
    control = `<input type="${kind}" maxlength="${p.maxLength || MAX_MESSAGE}" value="${esc(p.default ?? '')}" ${attrs}>`;
  }
  return `<label class="el-field"><span>${label}</span>${control}${help}</label>`;
}

function bound(attr, value) {
  return typeof value === 'number' ? ` ${attr}="${value}"` : '';
}

/** Only http(s) URLs become links; anything else is shown as text. */
function link(url) {
  const safe = /^https?:\/\//i.test(url);
  return `<p class="el-url">${safe ? `<a href="${esc(url)}" target="_blank" rel="noopener noreferrer">${esc(url)}</a>`
    : `<code>${esc(url)}</code>`}</p>`;
}

function cut(text) {
  return text.length > MAX_MESSAGE ? text.slice(0, MAX_MESSAGE) + '…' : text;
}
