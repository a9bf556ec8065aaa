import { createHash } from 'node:crypto';

/** The `_meta` key naming the replica that ran a session-affine call. */
export const replicaMetaKey = 'io.mcp-mesh/replica';

// Sessions remembered per proxy; the oldest is forgotten first (a forgotten session is found
// again by hashing, and the provider forwards if its owner moved).
const rememberedSessions = 10_000;

/**
 * Where each session of a `session_required` dependency lives, as the providers' answers said:
 * the proxy sends every call of a session to its owner, so forwarding between replicas is the
 * exception. A session not seen yet goes where rendezvous hashing puts it, so that callers with
 * the same providers agree without talking to each other.
 */
export class SessionStickiness {
  private readonly owners = new Map<string, string>();

  /** The replica (agent id) that owns `session`, as last learned. */
  ownerOf(session: string): string | undefined {
    return this.owners.get(session);
  }

  /** Remembers the replica that answered, from the result's `_meta`. */
  learn(session: string, result: unknown): void {
    const meta = (result as { _meta?: Record<string, unknown> } | undefined)?._meta;
    const replica = meta?.[replicaMetaKey];
    if (typeof replica !== 'string') return;
    this.owners.delete(session);
    this.owners.set(session, replica);
    if (this.owners.size > rememberedSessions)
      this.owners.delete(this.owners.keys().next().value as string);
  }

  /** Forgets where a session lives (its owner stopped answering). */
  forget(session: string): void {
    this.owners.delete(session);
  }
}

/** Rendezvous (highest random weight) choice: stable per session, moves only the dead one's share. */
export function rendezvousPick<T extends { readonly agentId: string }>(
  session: string,
  candidates: readonly T[],
): T | undefined {
  let best: T | undefined;
  let bestWeight = -1;
  for (const candidate of candidates) {
    const weight = createHash('sha1')
      .update(session)
      .update('\u0000')
      .update(candidate.agentId)
      .digest()
      .readUInt32BE(0);
    if (weight > bestWeight) {
      best = candidate;
      bestWeight = weight;
    }
  }
  return best;
}
