import type { CallerGate } from './caller-gate.js';
import { TrustError } from './trust-error.js';

/** How `/mcp` answers a call its caller token does not admit. */
export interface CallerRefusal {
  /** 401: no usable token (present one); 403: a valid token this tool does not accept. */
  readonly status: 401 | 403;
  readonly challenge: string;
  /** A JSON-RPC error; `error.data.reason` is the TrustError code. */
  readonly body: object;
}

type Message = { readonly method?: unknown; readonly id?: unknown; readonly params?: unknown };

/**
 * Checks the caller token of every `tools/call` in a request to a guarded tool; undefined when
 * all are admitted (or none is guarded). Every other request (listing, resources, prompts) passes.
 */
export async function refusalOf(
  gate: CallerGate,
  authorization: string | undefined,
  messages: readonly Message[],
): Promise<CallerRefusal | undefined> {
  for (const message of messages) {
    if (message.method !== 'tools/call') continue;
    const tool = (message.params as { name?: unknown } | undefined)?.name;
    if (typeof tool !== 'string' || !gate.guards(tool)) continue;
    try {
      await gate.admit(tool, authorization);
    } catch (error) {
      if (!(error instanceof TrustError)) throw error;
      const status = error.httpStatus === 403 ? 403 : 401;
      return {
        status,
        challenge:
          status === 401
            ? 'Bearer realm="mcp-mesh", error="invalid_token"'
            : 'Bearer realm="mcp-mesh", error="insufficient_scope"',
        body: {
          jsonrpc: '2.0',
          id: typeof message.id === 'string' || typeof message.id === 'number' ? message.id : null,
          error: { code: -32000, message: error.message, data: { reason: error.code } },
        },
      };
    }
  }
  return undefined;
}
