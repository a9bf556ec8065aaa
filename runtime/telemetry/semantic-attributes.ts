/**
 * Attribute names from OpenTelemetry's semantic conventions (general, RPC/MCP, GenAI tool
 * execution) and the mesh's own (`mesh.*`), used by every span the runtime and registry record.
 */
export const attribute = {
  mcpMethod: 'mcp.method.name',
  mcpSessionId: 'mcp.session.id',
  mcpProtocolVersion: 'mcp.protocol.version',
  toolName: 'gen_ai.tool.name',
  operationName: 'gen_ai.operation.name',
  errorType: 'error.type',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  networkProtocol: 'network.protocol.name',
  agentId: 'mesh.agent.id',
  capability: 'mesh.capability',
  providerAgentId: 'mesh.provider.agent_id',
  attempt: 'mesh.attempt',
  outcome: 'mesh.outcome',
  delayMs: 'mesh.retry.delay_ms',
  sessionOwner: 'mesh.session.owner',
} as const;

/** The `gen_ai.operation.name` of a tool call. */
export const executeTool = 'execute_tool';

/** Span event names of the mesh (on a proxy call's span). */
export const spanEvent = {
  circuitOpen: 'mesh.circuit_open',
  retry: 'mesh.retry',
  failover: 'mesh.failover',
} as const;

/** `server.address` and `server.port` of an endpoint URL, when it parses. */
export function serverAttributes(endpoint: string): Record<string, string | number> {
  try {
    const url = new URL(endpoint);
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    return { [attribute.serverAddress]: url.hostname, [attribute.serverPort]: port };
  } catch {
    return {};
  }
}
