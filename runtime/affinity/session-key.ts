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
 * The session a call belongs to, from (in order) the `X-Session-ID` header, the caller's MCP
 * session, and a `session_id` string argument; undefined when none names one (the call then
 * runs wherever it lands).
 */
export function sessionKeyOf(
  headers: HeaderSource | undefined,
  mcpSessionId: string | undefined,
  args: unknown,
): string | undefined {
  const key =
    headerValue(headers, sessionHeader) ||
    mcpSessionId ||
    (typeof args === 'object' && args !== null
      ? stringOrUndefined((args as Record<string, unknown>).session_id)
      : undefined);
  return key && key.length <= maxSessionKeyLength ? key : undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
