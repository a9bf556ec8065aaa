import { type HeaderSource, headerValue } from '../hosting/inbound-call.js';
import type { ToolKwargs } from '../metadata.js';

/** The header a caller names its session with; it wins over every other source. */
export const sessionHeader = 'x-session-id';

/** Longest session key accepted; longer ones are not keys but abuse of the Redis key space. */
const maxSessionKeyLength = 256;

/** Whether all calls of one session must reach one replica of the agent serving this tool. */
export function needsSessionAffinity(kwargs: ToolKwargs): boolean {
  return kwargs.session_required === true || kwargs.stateful === true;
}

/**
 * The session a call belongs to, from (in order) the `X-Session-ID` header, a `session_id`
 * string argument, and only then the caller's MCP session (2025-11-25 era); undefined when none
 * names one (the call then runs wherever it lands). A key the caller names wins over its
 * transport session: an ordinary MCP client opens a connection, and so a session, per call.
 */
export function sessionKeyOf(
  headers: HeaderSource | undefined,
  mcpSessionId: string | undefined,
  args: unknown,
): string | undefined {
  const key =
    headerValue(headers, sessionHeader) ||
    (typeof args === 'object' && args !== null
      ? stringOrUndefined((args as Record<string, unknown>).session_id)
      : undefined) ||
    mcpSessionId;
  return key && key.length <= maxSessionKeyLength ? key : undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
