import { attribute, executeTool } from './semantic-attributes.js';
import type { TraceSpan, Tracing } from './tracing.js';

/** A call of a session-affine tool sent on to the replica that owns its session. */
export interface ForwardedToolCall {
  readonly tool: string;
  readonly session: string;
  readonly scope: { readonly headers: Readonly<Record<string, string>> };
}

/**
 * The client span of one session forward, a child of the span serving the call here; the
 * owner's span of the call is its child.
 */
export function forwardSpan(tracing: Tracing, call: ForwardedToolCall, owner: string): TraceSpan {
  return tracing.start({
    name: `forward tools/call ${call.tool}`,
    role: 'client',
    parent: call.scope.headers.traceparent,
    attributes: {
      [attribute.mcpMethod]: 'tools/call',
      [attribute.toolName]: call.tool,
      [attribute.operationName]: executeTool,
      [attribute.mcpSessionId]: call.session,
      [attribute.sessionOwner]: owner,
    },
  });
}
