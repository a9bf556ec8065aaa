import type { IncomingHttpHeaders } from 'node:http';
import { isLegacyRequest, PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { servedAsLegacy } from './protocol-era.js';

const modern = '2026-07-28';
const envelope = {
  [PROTOCOL_VERSION_META_KEY]: modern,
  'io.modelcontextprotocol/clientInfo': { name: 'c', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

const cases: [string, string, IncomingHttpHeaders, unknown][] = [
  ['GET stream', 'GET', {}, undefined],
  ['DELETE session', 'DELETE', { 'mcp-session-id': 's' }, undefined],
  ['POST without a body', 'POST', {}, undefined],
  [
    'initialize',
    'POST',
    {},
    { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25' } },
  ],
  [
    'initialize with a modern header',
    'POST',
    { 'mcp-protocol-version': modern },
    { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} },
  ],
  [
    'initialize with a valid modern claim',
    'POST',
    { 'mcp-protocol-version': modern },
    { jsonrpc: '2.0', id: 1, method: 'initialize', params: { _meta: envelope } },
  ],
  [
    '2025 tools/call',
    'POST',
    { 'mcp-session-id': 's', 'mcp-protocol-version': '2025-11-25' },
    { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: {} } },
  ],
  [
    '2026 tools/call',
    'POST',
    { 'mcp-protocol-version': modern, 'mcp-method': 'tools/call', 'mcp-name': 'echo' },
    { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', _meta: envelope } },
  ],
  [
    '2026 call with a mismatched method header',
    'POST',
    { 'mcp-protocol-version': modern, 'mcp-method': 'tools/list' },
    { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', _meta: envelope } },
  ],
  [
    'malformed claim',
    'POST',
    {},
    {
      jsonrpc: '2.0',
      id: 4,
      method: 'tools/list',
      params: { _meta: { [PROTOCOL_VERSION_META_KEY]: 7 } },
    },
  ],
  [
    'modern header without a claim',
    'POST',
    { 'mcp-protocol-version': modern },
    { jsonrpc: '2.0', id: 5, method: 'tools/list' },
  ],
  [
    '2025 notification',
    'POST',
    { 'mcp-session-id': 's' },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
  ],
  [
    '2026 notification by header',
    'POST',
    { 'mcp-protocol-version': modern },
    { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } },
  ],
  ['posted response', 'POST', { 'mcp-session-id': 's' }, { jsonrpc: '2.0', id: 6, result: {} }],
  [
    'response-shaped body with a claim',
    'POST',
    {},
    { jsonrpc: '2.0', id: 6, method: 'x', result: {}, params: { _meta: envelope } },
  ],
  ['batch', 'POST', {}, [{ jsonrpc: '2.0', method: 'notifications/initialized' }]],
  ['empty batch', 'POST', {}, []],
  ['not JSON-RPC', 'POST', {}, { hello: 'world' }],
  ['null body', 'POST', {}, null],
];

describe('servedAsLegacy', () => {
  it.each(cases)(
    'agrees with the SDK’s isLegacyRequest: %s',
    async (_name, method, headers, body) => {
      const request = new Request('http://localhost/mcp', {
        method,
        headers: headers as Record<string, string>,
      });
      expect(servedAsLegacy(method, headers, body)).toBe(await isLegacyRequest(request, body));
    },
  );
});

describe('servedAsLegacy outcomes', () => {
  it('sends sessions and the handshake to 2025 serving, envelope calls to 2026 serving', () => {
    const byName = new Map(
      cases.map(([name, method, headers, body]) => [name, servedAsLegacy(method, headers, body)]),
    );
    expect(byName.get('initialize')).toBe(true);
    expect(byName.get('2025 tools/call')).toBe(true);
    expect(byName.get('GET stream')).toBe(true);
    expect(byName.get('2026 tools/call')).toBe(false);
    expect(byName.get('malformed claim')).toBe(false);
  });
});
