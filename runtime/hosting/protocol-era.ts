import type { IncomingHttpHeaders } from 'node:http';
import { classifyInboundRequest, PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/server';
import { headerValue } from './inbound-call.js';

/**
 * Whether `/mcp` serves a request as 2025-era traffic (sessions) rather than 2026-07-28: the
 * decision of the SDK's `isLegacyRequest`, made from node's headers and the parsed body so
 * that no web `Request` is built for it.
 *
 * - not a POST: a body-less session operation (GET stream, DELETE);
 * - a POST without a JSON body;
 * - a message claiming the per-request envelope is never legacy (the SDK documents it: the modern
 *   path answers it, or rejects it) — checked first, because it is every 2026-07-28 call and the
 *   full classification validates the body against the JSON-RPC schemas;
 * - anything else: the SDK's own classifier, `classifyInboundRequest`.
 */
export function servedAsLegacy(
  httpMethod: string,
  headers: IncomingHttpHeaders,
  body: unknown,
): boolean {
  const method = httpMethod.toUpperCase();
  if (method !== 'POST' || body === undefined) return true;
  if (claimsModernEnvelope(body)) return false;
  const protocolVersionHeader = headerValue(headers, 'mcp-protocol-version');
  const mcpMethodHeader = headerValue(headers, 'mcp-method');
  const mcpNameHeader = headerValue(headers, 'mcp-name');
  const outcome = classifyInboundRequest({
    httpMethod: method,
    ...(protocolVersionHeader === undefined ? {} : { protocolVersionHeader }),
    ...(mcpMethodHeader === undefined ? {} : { mcpMethodHeader }),
    ...(mcpNameHeader === undefined ? {} : { mcpNameHeader }),
    body,
  });
  return outcome.kind === 'legacy';
}

/**
 * A single request or notification whose `_meta` names a protocol version. `initialize` is left
 * to the classifier (it is modern only with a valid modern claim), and so is anything shaped like
 * a response.
 */
function claimsModernEnvelope(body: unknown): boolean {
  if (!isRecord(body) || 'result' in body || 'error' in body) return false;
  if (typeof body.method !== 'string' || body.method === 'initialize') return false;
  const meta = isRecord(body.params) ? body.params._meta : undefined;
  return isRecord(meta) && PROTOCOL_VERSION_META_KEY in meta;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
