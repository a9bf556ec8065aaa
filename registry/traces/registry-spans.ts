import { registryTracing } from './registry-tracing.js';

/**
 * A heartbeat's span, kept only if the heartbeat changed the topology: `end(revision)` exports it
 * when the revision moved past `before`; otherwise it is dropped unexported (most heartbeats
 * change nothing and would drown the traces).
 */
export function heartbeatSpan(
  agentId: string,
  before: number,
): { end(after: number): void } | undefined {
  const tracing = registryTracing();
  if (!tracing) return undefined;
  const span = tracing.start({
    name: 'heartbeat',
    role: 'server',
    parent: undefined,
    attributes: {
      'mesh.agent.id': agentId,
      'http.request.method': 'POST',
      'url.path': '/heartbeat',
    },
  });
  return {
    end(after) {
      if (after === before) return;
      span.set({ 'mesh.topology.revision': after });
      span.end();
    },
  };
}

/**
 * The span of one MCP request the registry relays to an agent (`meshctl call`), a child of the
 * caller's `traceparent`; `end` takes the agent's HTTP status or the error of a failed relay.
 */
export function proxySpan(
  agentId: string,
  method: string,
  body: unknown,
  traceparent: string | undefined,
): { readonly traceparent: string; end(outcome: number | unknown): void } | undefined {
  const tracing = registryTracing();
  if (!tracing) return undefined;
  const rpcMethod =
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { method?: unknown }).method === 'string'
      ? (body as { method: string }).method
      : undefined;
  const span = tracing.start({
    name: `proxy ${rpcMethod ?? method}`,
    role: 'server',
    parent: traceparent,
    attributes: {
      'mesh.agent.id': agentId,
      'http.request.method': method,
      'mcp.method.name': rpcMethod,
    },
  });
  return {
    traceparent: span.traceparent,
    end(outcome) {
      if (typeof outcome === 'number') {
        span.set({ 'http.response.status_code': outcome });
        span.end(outcome >= 500 ? String(outcome) : undefined);
      } else span.end(outcome);
    },
  };
}
