import type { CallToolResult } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import { type CallScope, deadlineHeader } from '../context/call-scope.js';
import { replicaMetaKey } from '../proxy/session-stickiness.js';
import { forwardSpan } from '../telemetry/forward-span.js';
import { activeTracing } from '../telemetry/tracing.js';
import type { ForwardedCall } from './forward-call.js';
import type { Replica, ReplicaDirectory } from './replica-directory.js';
import { sessionHeader } from './session-key.js';
import type { OwnershipBackend, SessionOwnership } from './session-ownership.js';

/** The header a forwarding replica sets; its receiver runs the call, never forwards it again. */
export const forwardedByHeader = 'x-mesh-forwarded-by';

// How long a replica trusts its own confirmed claim before asking the ownership store again.
const confirmationMs = 1_000;

/** What `/metadata` shows about session affinity on this replica. */
export interface AffinityStatistics {
  readonly backend: OwnershipBackend;
  /** Sessions that ran here within the TTL. */
  readonly sessions_owned: number;
  /** Calls sent on to the replica that owns their session. */
  readonly forwards: number;
  /** Sessions taken over from an owner that was dead, unhealthy or unreachable. */
  readonly reclaims: number;
  /** Times ownership fell back from Redis to memory. */
  readonly fallbacks_to_memory: number;
}

/** One call of a session-affine tool as it arrived here. */
export interface AffineCall {
  readonly tool: string;
  readonly args: unknown;
  readonly session: string;
  /** Set when another replica forwarded the call: it then runs here whatever the owner. */
  readonly forwardedBy: string | undefined;
  readonly scope: CallScope;
  readonly signal: AbortSignal;
  /** Attempt timeout when the caller set no deadline. */
  readonly timeoutMs: number;
  /**
   * The caller's own `Authorization` (its caller token with trust on): relayed to the owner, which
   * checks the original caller as this replica did, rather than the replica that forwards.
   */
  readonly authorization?: string | undefined;
}

export interface SessionAffinityOptions {
  readonly selfId: string;
  readonly ownership: SessionOwnership & { readonly fallbacks?: number };
  /** Undefined without a registry: no replica is known, every session is served here. */
  readonly directory: ReplicaDirectory | undefined;
  readonly forward: (replica: Replica, call: ForwardedCall) => Promise<CallToolResult>;
  /** Whether a forward failed without reaching the owner (refused, reset): it is then dead. */
  readonly unreachable: (error: unknown, replica: Replica) => boolean;
  readonly authToken: string | undefined;
  readonly ttlMs: number;
  readonly logger: Logger;
}

/**
 * Keeps every call of one session on one replica: claims the session for this replica when
 * nobody holds it, forwards the call to the owner when another replica holds it (only ever to a
 * registered, healthy replica of this agent), and takes the session over when its owner is dead,
 * unhealthy or unreachable.
 */
export class SessionAffinity {
  private forwards = 0;
  private reclaims = 0;
  /** Sessions this replica owns: until when (TTL), and until when without asking again. */
  private readonly ownedSessions = new Map<
    string,
    { readonly expiresAt: number; readonly confirmedUntil: number }
  >();
  private pruneAbove = 1_024;

  constructor(private readonly options: SessionAffinityOptions) {}

  /**
   * Runs the call through `runHere` when this replica owns (or takes) its session, else forwards
   * it; either way the answer names the replica that ran it in `_meta`.
   */
  async serve<Result extends { readonly _meta?: Record<string, unknown> | undefined }>(
    call: AffineCall,
    runHere: () => Promise<Result>,
  ): Promise<Result | CallToolResult> {
    const { selfId, ownership, directory } = this.options;
    // A claim confirmed a moment ago is trusted without a Redis round trip; a take-over by
    // another replica (only after this one was unreachable) is noticed within that moment.
    const owned = this.ownedSessions.get(call.session);
    const trusted = owned !== undefined && owned.confirmedUntil > Date.now();
    let owner = trusted ? selfId : await ownership.claim(call.session, selfId);
    // Two rounds at most: the owner, then whoever won a concurrent take-over from it.
    for (let round = 0; owner !== selfId && call.forwardedBy === undefined && round < 2; round++) {
      const replica = await directory?.find(owner);
      if (replica) {
        const tracing = activeTracing();
        const span = tracing && forwardSpan(tracing, call, owner);
        try {
          const result = await this.options.forward(
            replica,
            this.forwarded(call, span?.traceparent),
          );
          span?.end();
          this.forwards++;
          this.ownedSessions.delete(call.session);
          return result;
        } catch (error) {
          span?.end(error);
          if (!this.options.unreachable(error, replica)) throw error;
          this.options.logger.warn(
            { session: call.session, owner, err: error },
            'session owner unreachable; taking the session over',
          );
        }
      }
      const formerOwner = owner;
      owner = await ownership.takeOver(call.session, formerOwner, selfId);
      if (owner === selfId) {
        this.reclaims++;
        this.options.logger.info(
          { session: call.session, former_owner: formerOwner },
          'session re-claimed from a replica that is gone',
        );
      }
    }
    // A forwarded call may run here although another replica owns the session (one hop at most).
    if (owner !== selfId) this.ownedSessions.delete(call.session);
    else if (!trusted) this.remember(call.session);
    const result = await runHere();
    return { ...result, _meta: { ...result._meta, [replicaMetaKey]: selfId } };
  }

  statistics(): AffinityStatistics {
    this.pruneExpired();
    return {
      backend: this.options.ownership.backend,
      sessions_owned: this.ownedSessions.size,
      forwards: this.forwards,
      reclaims: this.reclaims,
      fallbacks_to_memory: this.options.ownership.fallbacks ?? 0,
    };
  }

  close(): Promise<void> {
    return this.options.ownership.close();
  }

  private remember(session: string): void {
    const now = Date.now();
    this.ownedSessions.set(session, {
      expiresAt: now + this.options.ttlMs,
      confirmedUntil: now + Math.min(confirmationMs, this.options.ttlMs / 2),
    });
    if (this.ownedSessions.size > this.pruneAbove) {
      this.pruneExpired();
      this.pruneAbove = Math.max(1_024, this.ownedSessions.size * 2);
    }
  }

  private pruneExpired(): void {
    const now = Date.now();
    for (const [session, { expiresAt }] of this.ownedSessions)
      if (expiresAt <= now) this.ownedSessions.delete(session);
  }

  private forwarded(call: AffineCall, traceparent: string | undefined): ForwardedCall {
    const headers: Record<string, string> = {
      ...call.scope.headers,
      ...(traceparent === undefined ? {} : { traceparent }),
      [sessionHeader]: call.session,
      [forwardedByHeader]: this.options.selfId,
    };
    let timeoutMs = call.timeoutMs;
    if (call.scope.deadline !== undefined) {
      timeoutMs = Math.max(1, call.scope.deadline - Date.now());
      headers[deadlineHeader] = String(Math.floor(timeoutMs));
    }
    const authorization =
      call.authorization ??
      (this.options.authToken ? `Bearer ${this.options.authToken}` : undefined);
    if (authorization !== undefined) headers.authorization = authorization;
    return { tool: call.tool, args: call.args, headers, timeoutMs, signal: call.signal };
  }
}
