import { type HeaderSource, headerValue } from '../hosting/inbound-call.js';
import { attribute, executeTool } from './semantic-attributes.js';
import type { TraceSpan, Tracing } from './tracing.js';

/**
 * The server span of one `tools/call` this agent serves, a child of the caller's `traceparent`
 * (a new trace when none came). End it with the call's outcome (`undefined` for success).
 */
export function servedToolSpan(
  tracing: Tracing,
  tool: string,
  agentId: string,
  headers: HeaderSource | undefined,
  sessionId: string | undefined,
): TraceSpan {
  return tracing.start({
    name: `tools/call ${tool}`,
    role: 'server',
    parent: headerValue(headers, 'traceparent'),
    attributes: {
      [attribute.mcpMethod]: 'tools/call',
      [attribute.toolName]: tool,
      [attribute.operationName]: executeTool,
      [attribute.networkProtocol]: 'http',
      [attribute.agentId]: agentId,
      [attribute.mcpSessionId]: sessionId,
      [attribute.mcpProtocolVersion]: headerValue(headers, 'mcp-protocol-version'),
    },
  });
}
