import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError } from '../errors/registry-error.js';
import type { MeshRegistry } from '../mesh-registry.js';

// Headers an MCP exchange needs, relayed both ways; nothing else crosses the proxy.
const forwardedRequestHeaders = [
  'content-type',
  'accept',
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
  'authorization',
  'traceparent',
  // The session of a call to a session_required tool: the agent keeps it on one replica.
  'x-session-id',
];
const forwardedResponseHeaders = [
  'content-type',
  'mcp-session-id',
  'mcp-protocol-version',
  'cache-control',
];

/**
 * `GET|POST|DELETE /proxy/{agent_id}/mcp`: relays an MCP request to a registered, healthy
 * agent's `/mcp`, for `meshctl call`. The target is always the endpoint the agent registered,
 * never an address taken from the request.
 */
export function proxyRoutes(app: FastifyInstance, registry: MeshRegistry): void {
  const relay = async (
    request: FastifyRequest<{ Params: { agent_id: string } }>,
    reply: FastifyReply,
  ) => {
    const state = registry.topology.get(request.params.agent_id);
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
    for (const name of forwardedRequestHeaders) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    let upstream: Response;
    try {
      upstream = await fetch(`${state.endpoint}/mcp`, {
        method: request.method,
        headers,
        ...(request.method === 'POST' ? { body: JSON.stringify(request.body) } : {}),
        signal: AbortSignal.timeout(300_000),
      });
    } catch (error) {
      throw new RegistryError(
        'unavailable',
        `agent "${request.params.agent_id}" at ${state.endpoint} did not answer: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    reply.code(upstream.status);
    for (const name of forwardedResponseHeaders) {
      const value = upstream.headers.get(name);
      if (value !== null) reply.header(name, value);
    }
    return reply.send(upstream.body ? Readable.fromWeb(upstream.body as never) : '');
  };
  app.post<{ Params: { agent_id: string } }>('/proxy/:agent_id/mcp', relay);
  app.get<{ Params: { agent_id: string } }>('/proxy/:agent_id/mcp', relay);
  app.delete<{ Params: { agent_id: string } }>('/proxy/:agent_id/mcp', relay);
}
