#!/usr/bin/env node
// A tiny stdio MCP server for ClaudeCodeIT (no SDK): newline-delimited JSON-RPC 2.0 on stdin/stdout. It offers one
// tool, ask_release; calling it sends elicitation/create to the client (Claude Code) with a small form, and returns
// the client's answer ({action, content}) as the tool's text result. Every message in and out is appended to the
// file named by ELICIT_MCP_LOG, when set, for reading what Claude Code sent.
'use strict';
const fs = require('fs');
const readline = require('readline');

const LOG = process.env.ELICIT_MCP_LOG;
const SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string', title: 'Release name' },
    replicas: { type: 'integer', title: 'Replicas' },
    confirm: { type: 'boolean', title: 'Really deploy?' },
    region: { type: 'string', enum: ['eu', 'us'] },
  },
  required: ['name', 'confirm'],
};
const pending = new Map();
let nextId = 1;

function log(direction, message) {
  if (LOG) fs.appendFileSync(LOG, JSON.stringify({ direction, message }) + '\n');
}

function send(message) {
  log('out', message);
  process.stdout.write(JSON.stringify(message) + '\n');
}

function reply(id, result) {
  send({ jsonrpc: '2.0', id, result });
}

function handle(message) {
  log('in', message);
  if (message.method === undefined && message.id !== undefined && pending.has(message.id)) {
    const callId = pending.get(message.id);
    pending.delete(message.id);
    const answer = message.error ? { error: message.error } : message.result;
    reply(callId, { content: [{ type: 'text', text: 'elicitation answer: ' + JSON.stringify(answer) }] });
    return;
  }
  switch (message.method) {
    case 'initialize':
      reply(message.id, {
        protocolVersion: (message.params && message.params.protocolVersion) || '2025-06-18',
        capabilities: { tools: {} },
        serverInfo: { name: 'deploy-desk', version: '1.0.0' },
      });
      return;
    case 'ping':
      reply(message.id, {});
      return;
    case 'tools/list':
      reply(message.id, { tools: [{
        name: 'ask_release',
        description: 'Asks the person which release to deploy and returns their answer.',
        inputSchema: { type: 'object', properties: {} },
      }] });
      return;
    case 'tools/call': {
      const id = 'elicit-' + nextId++;
      pending.set(id, message.id);
      send({ jsonrpc: '2.0', id, method: 'elicitation/create',
        params: { message: 'Which release should go out?', requestedSchema: SCHEMA } });
      return;
    }
    default:
      if (message.id !== undefined) {
        send({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found: ' + message.method } });
      }
  }
}

readline.createInterface({ input: process.stdin }).on('line', line => {
  if (!line.trim()) return;
  try {
    handle(JSON.parse(line));
  } catch (e) {
    log('error', String(e));
  }
});
