import { Readable } from 'node:stream';
import { agentOrigin } from '@mcp-mesh/runtime/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError } from '../errors/registry-error.js';
import type { MeshRegistry } from '../mesh-registry.js';
import { agentRelay } from '../tls/agent-relay.js';
import { proxySpan } from '../traces/registry-spans.js';
import { proxyTarget } from './proxy-target.js';

// Headers of the MCP Streamable HTTP transport, relayed both ways; nothing else crosses the
// proxy. Every `Mcp-*` header is the transport's (Mcp-Session-Id, MCP-Protocol-Version, and in
// 2026-07-28 Mcp-Method, Mcp-Name and Mcp-Param-*, which the agent checks against the body and
// answers 400 without), so the prefix is relayed whole: a header a later revision adds passes.
const mcpHeaderPrefix = 'mcp-';
const forwardedRequestHeaders = new Set([
  'content-type',
  'accept',
  'last-event-id',
  'authorization',
  'traceparent',
  'tracestate',
  // The session of a call to a session_required tool: the agent keeps it on one replica.
  'x-session-id',
]);
const forwardedResponseHeaders = new Set([
  'content-type',
  'cache-control',
  // The bearer challenge of a 401/403, and the methods a 405 allows.
  'www-authenticate',
  'allow',
]);

function relayed(name: string, fixed: ReadonlySet<string>): boolean {
  return fixed.has(name) || name.startsWith(mcpHeaderPrefix);
}

/**
 * `GET|POST|DELETE /proxy/{agent_id}/mcp`: relays an MCP request to a registered, healthy
 * agent's `/mcp`, for `meshctl call`. The key is an agent id or, as the predecessor's meshctl
 * sends it, the `host:port` of a registered agent's endpoint. The target is always the endpoint
 * the agent registered, never an address taken from the request.
 */
export function proxyRoutes(app: FastifyInstance, registry: MeshRegistry): void {
  const relay = agentRelay(registry.config.tls);
  const relayRequest = async (
    request: FastifyRequest<{ Params: { agent_id: string } }>,
    reply: FastifyReply,
  ) => {
    const state = proxyTarget(registry.topology, request.params.agent_id);
    if (!state) {
      throw new RegistryError(
        'not_found',
        `no agent "${request.params.agent_id}" is registered; see GET /agents`,
      );
    }
    if (state.status !== 'healthy') {
      throw new RegistryError(
        'unavailable',
        `agent "${request.params.agent_id}" is ${state.status}; it has not sent a heartbeat recently`,
      );
    }
    if (state.endpoint === '') {
      throw new RegistryError(
        'unavailable',
        `agent "${request.params.agent_id}" announced no reachable port`,
      );
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (relayed(name, forwardedRequestHeaders) && typeof value === 'string') {
        headers[name] = value;
      }
    }
    // The relayed request is this span's child when the registry traces.
    const span = proxySpan(
      request.params.agent_id,
      request.method,
      request.body,
      headers.traceparent,
    );
    if (span) headers.traceparent = span.traceparent;
    let upstream: Response;
    try {
      upstream = await relay.fetch(`${agentOrigin(state.endpoint, relay.https)}/mcp`, {
        method: request.method,
        headers,
        ...(request.method === 'POST' ? { body: JSON.stringify(request.body) } : {}),
        signal: AbortSignal.timeout(300_000),
      });
    } catch (error) {
      span?.end(error);
      // The registry believed the agent usable and it failed: 502, unlike the 503 of an agent
      // known to be unusable. Its next missed heartbeats will turn that into a 503.
      throw new RegistryError(
        'bad_gateway',
        `agent "${request.params.agent_id}" at ${state.endpoint} did not answer: ${causeOf(error)}; retry, or check that the agent is running`,
      );
    }
    span?.end(upstream.status);
    reply.code(upstream.status);
    for (const [name, value] of upstream.headers) {
      if (relayed(name, forwardedResponseHeaders)) reply.header(name, value);
    }
    return reply.send(upstream.body ? Readable.fromWeb(upstream.body as never) : '');
  };
  app.post<{ Params: { agent_id: string } }>('/proxy/:agent_id/mcp', relayRequest);
  app.get<{ Params: { agent_id: string } }>('/proxy/:agent_id/mcp', relayRequest);
  app.delete<{ Params: { agent_id: string } }>('/proxy/:agent_id/mcp', relayRequest);
}

// fetch() reports every network failure as "fetch failed"; the reason is in its cause.
function causeOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? `${message} (${cause.code})` : message;
}
