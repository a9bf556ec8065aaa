import type { CallToolResult } from '@modelcontextprotocol/server';
import type { McpConnections } from '../proxy/mcp-connections.js';
import { withOutboundCall } from '../proxy/outbound-headers.js';
import type { Replica } from './replica-directory.js';

/** One call sent on to the replica that owns its session. */
export interface ForwardedCall {
  readonly tool: string;
  readonly args: unknown;
  /** Sent as they are: session, deadline, trace context, propagated headers, auth. */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

/**
 * Calls the tool on `replica` over the agent's pooled MCP connections and returns its result
 * untouched (content, structured content, `isError`, `_meta`), so the caller cannot tell a
 * forwarded answer from a direct one.
 */
export async function forwardToolCall(
  connections: McpConnections,
  replica: Replica,
  call: ForwardedCall,
): Promise<CallToolResult> {
  const client = await connections.client(replica.endpoint);
  return (await withOutboundCall({ headers: call.headers }, () =>
    client.callTool(
      { name: call.tool, arguments: call.args as Record<string, unknown> },
      { timeout: call.timeoutMs, signal: call.signal },
    ),
  )) as CallToolResult;
}
