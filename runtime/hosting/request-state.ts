import { randomBytes } from 'node:crypto';
import { createRequestStateCodec, type RequestStateCodec } from '@modelcontextprotocol/server';

/** What the runtime signs into a `requestState`: the handler it is for, and that handler's value. */
export interface SealedState {
  /** `tool:<name>`, `prompt:<name>` or `resource:<name>`: state of one handler is no other's. */
  readonly for: string;
  readonly value: unknown;
}

/** Signs and verifies the `requestState` of multi-round input (HMAC-SHA256, expiring). */
export type RequestStateSeal = RequestStateCodec<SealedState>;

/** How long a round's state stays valid: people answer elicitations, so minutes, not seconds. */
const stateTtlSeconds = 600;

/**
 * The seal of an agent's multi-round state. Every replica that may receive a retried request must
 * share `key` (MCP_MESH_REQUEST_STATE_KEY, at least 32 bytes); without one, a random key of this
 * process is used, which only works while every round reaches this process.
 *
 * @throws RangeError when `key` is shorter than 32 bytes.
 */
export function createRequestStateSeal(key?: string | Uint8Array): RequestStateSeal {
  return createRequestStateCodec<SealedState>({
    key: key ?? new Uint8Array(randomBytes(32)),
    ttlSeconds: stateTtlSeconds,
  });
}
