import { SdkError, SdkErrorCode } from '@modelcontextprotocol/server';
import type { CallOptions, CapabilityProxy, StreamChunk } from '../agent/proxy.js';
import {
  type CallScope,
  currentCallScope,
  deadlineHeader,
  traceparentHeader,
} from '../context/call-scope.js';
import { childTraceparent } from '../context/traceparent.js';
import { MeshError } from '../errors/mesh-error.js';
import type { ToolKwargs } from '../metadata.js';
import type { DependencyMetrics } from '../telemetry/dependency-metrics.js';
import { ProxyCallTrace } from '../telemetry/proxy-call-trace.js';
import { activeTracing } from '../telemetry/tracing.js';
import { type CallPolicy, compileCallPolicy } from './call-policy.js';
import { resultValue } from './call-result.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { classifyFailure } from './classify-failure.js';
import type { KwargFallbackListener } from './kwarg-fallbacks.js';
import type { McpConnections } from './mcp-connections.js';
import { withOutboundCall } from './outbound-headers.js';
import { progressStream } from './progress-stream.js';
import type { ProviderTarget } from './provider-target.js';
import type { ResultCheck } from './result-check.js';
import { rendezvousPick, SessionStickiness } from './session-stickiness.js';

/** What every remote proxy of one agent shares. */
export interface ProxyEnvironment {
  readonly connections: McpConnections;
  /** One circuit per provider endpoint, shared by every proxy that calls it. */
  breaker(endpoint: string): CircuitBreaker;
  /** Bearer token sent to providers whose tool has `auth_required`. */
  readonly authToken?: string;
  /** Signs caller tokens for providers whose tool has `auth_required` (wins over `authToken`). */
  readonly callerTokens?: { tokenFor(audience: string): Promise<string> };
  /** Told of each provider kwarg that falls back to its default (see logKwargFallbacksOnce). */
  readonly kwargFallback?: KwargFallbackListener;
  /** Per-dependency call counts and latency, when the agent exports metrics. */
  readonly metrics?: DependencyMetrics;
}

/**
 * A typed proxy over the providers the registry resolved for one dependency: spreads calls over
 * them (round robin, skipping open circuits), fails over on connection failures, retries what
 * is safe to retry with exponential backoff and full jitter, and bounds every call by one
 * deadline that travels to the provider. `update()` swaps the providers in place; a call in
 * flight finishes on the provider it started with.
 */
export class RemoteCapabilityProxy<Input, Output> implements CapabilityProxy<Input, Output> {
  private targets: readonly (ProviderTarget & { policy: CallPolicy })[] = [];
  private next = 0;
  /** Calls in flight per provider endpoint, for the least-loaded choice. */
  private readonly inFlight = new Map<string, number>();
  private readonly stickiness = new SessionStickiness();

  constructor(
    readonly capability: string,
    targets: readonly ProviderTarget[],
    private readonly defaults: ToolKwargs,
    private readonly environment: ProxyEnvironment,
    /** Checks each result against the provider's output schema, compiled once (absent: none). */
    private readonly checkResult?: ResultCheck,
  ) {
    this.update(targets);
  }

  /** Replaces the providers (best first); kwargs from the registry override the spec's defaults. */
  update(targets: readonly ProviderTarget[]): void {
    const listener = this.environment.kwargFallback;
    this.targets = targets.map((target) => ({
      ...target,
      policy: compileCallPolicy(
        { ...this.defaults, ...target.kwargs },
        listener && ((fallback) => listener(`${target.agentId}.${target.functionName}`, fallback)),
      ),
    }));
  }

  get providers(): readonly ProviderTarget[] {
    return this.targets;
  }

  async call(input: Input, options: CallOptions = {}): Promise<Output> {
    return (await this.invoke(input, options)) as Output;
  }

  /** Yields the provider's progress as it comes; leaving the loop early cancels the remote call. */
  stream(input: Input, options: CallOptions = {}): AsyncIterable<StreamChunk> {
    return progressStream(
      (signal, onChunk) => this.invoke(input, { ...options, signal }, onChunk),
      options.signal,
    );
  }

  private async invoke(
    input: Input,
    options: CallOptions,
    onProgress?: (chunk: StreamChunk) => void,
  ): Promise<unknown> {
    const scope = currentCallScope();
    const tracing = activeTracing();
    const metrics = this.environment.metrics;
    if (!tracing && !metrics) return this.attempts(input, options, scope, undefined, onProgress);
    const trace =
      tracing && new ProxyCallTrace(tracing, this.capability, scope?.headers[traceparentHeader]);
    const started = performance.now();
    try {
      const result = await this.attempts(input, options, scope, trace, onProgress);
      trace?.end();
      metrics?.observe(this.capability, 'success', (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      trace?.end(error);
      metrics?.observe(
        this.capability,
        MeshError.from(error).code,
        (performance.now() - started) / 1000,
      );
      throw error;
    }
  }

  private async attempts(
    input: Input,
    options: CallOptions,
    scope: CallScope | undefined,
    trace: ProxyCallTrace | undefined,
    onProgress?: (chunk: StreamChunk) => void,
  ): Promise<unknown> {
    const signal = combine(options.signal, scope?.signal);
    const started = Date.now();
    const tried = new Set<string>();
    const session = this.sessionOf(input, options, scope);
    if (session !== undefined) options = { ...options, sessionId: session };
    let lastFailure: MeshError | undefined;
    for (let attempt = 0; ; attempt++) {
      const target = this.pick(tried, session);
      if (!target) {
        throw (
          lastFailure ??
          new MeshError(
            this.targets.length === 0 ? 'unresolved' : 'circuit_open',
            this.targets.length === 0
              ? `no provider of ${this.capability} is resolved`
              : `every provider of ${this.capability} is failing; circuits open`,
            { capability: this.capability },
          )
        );
      }
      const policy = target.policy;
      const deadline = Math.min(
        scope?.deadline ?? Number.POSITIVE_INFINITY,
        options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : started + options.timeoutMs,
        started + totalBudget(policy),
      );
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new MeshError(
          'timeout',
          `the deadline for ${this.capability} passed before ${target.agentId} could be called`,
          { capability: this.capability, provider: target.agentId },
        );
      }
      const breaker = this.environment.breaker(target.endpoint);
      if (!breaker.tryAcquire()) {
        trace?.circuitOpen(target.agentId);
        tried.add(target.endpoint);
        attempt--;
        continue;
      }
      let progressed = false;
      const relay =
        onProgress &&
        ((chunk: StreamChunk) => {
          progressed = true;
          onProgress(chunk);
        });
      this.inFlight.set(target.endpoint, (this.inFlight.get(target.endpoint) ?? 0) + 1);
      const attemptSpan = trace?.attempt(target, attempt);
      try {
        const result = await this.once(
          target,
          input,
          Math.min(policy.streaming ? policy.streamTimeoutMs : policy.timeoutMs, remaining),
          deadline,
          signal,
          scope,
          options,
          attemptSpan?.traceparent,
          relay,
        );
        attemptSpan?.end();
        breaker.succeeded();
        return result;
      } catch (thrown) {
        if (signal?.aborted) {
          attemptSpan?.end('cancelled');
          // A cancellation says nothing about the provider: a probe frees its slot, the
          // circuit stays as it was.
          breaker.released();
          throw new MeshError('cancelled', `the call to ${this.capability} was cancelled`, {
            capability: this.capability,
            provider: target.agentId,
            cause: thrown,
          });
        }
        const failure = classifyFailure(
          thrown,
          this.capability,
          `${target.agentId}.${target.functionName}`,
        );
        attemptSpan?.end(failure.error);
        if (failure.providerFault) breaker.failed();
        else breaker.succeeded();
        if (failure.connectionFailed) {
          this.environment.connections.discard(target.endpoint);
          if (session !== undefined) this.stickiness.forget(session);
        }
        lastFailure = failure.error;
        // Never repeat after a stream has begun: the caller has seen part of the answer.
        const streamed = progressed;
        if (!failure.error.retryable || streamed || attempt >= policy.retryCount) {
          if (failure.connectionFailed && !failure.mayHaveRun && !streamed) {
            // Fail over: another provider may be up even when retries are spent (the request
            // never reached this one, so sending it elsewhere cannot run it twice).
            tried.add(target.endpoint);
            if (this.pick(tried, session)) {
              trace?.failover(target.agentId, failure.error);
              continue;
            }
          }
          throw failure.error;
        }
        if (failure.connectionFailed) tried.add(target.endpoint);
        // Full jitter, but never sooner than the provider's Retry-After; a wait that would
        // outlast the deadline is not worth starting.
        const delay = Math.max(
          Math.random() * policy.retryDelayMs * policy.retryBackoff ** attempt,
          failure.retryAfterMs ?? 0,
        );
        if (failure.retryAfterMs !== undefined && Date.now() + delay >= deadline)
          throw failure.error;
        trace?.retry(attempt + 1, delay, failure.error);
        await sleep(Math.min(delay, Math.max(0, deadline - Date.now())), signal);
      } finally {
        this.inFlight.set(target.endpoint, (this.inFlight.get(target.endpoint) ?? 1) - 1);
      }
    }
  }

  private async once(
    target: ProviderTarget & { policy: CallPolicy },
    input: Input,
    timeoutMs: number,
    deadline: number,
    signal: AbortSignal | undefined,
    scope: CallScope | undefined,
    options: CallOptions,
    traceparent: string | undefined,
    onProgress?: (chunk: StreamChunk) => void,
  ): Promise<unknown> {
    const client = await this.connected(target.endpoint, timeoutMs, signal);
    const headers: Record<string, string> = {
      ...scope?.headers,
      ...target.policy.customHeaders,
      ...options.headers,
      // The attempt's span when tracing, else a new span id of the caller's trace.
      [traceparentHeader]: traceparent ?? childTraceparent(scope?.headers[traceparentHeader]),
    };
    if (Number.isFinite(deadline))
      headers[deadlineHeader] = String(Math.max(1, Math.floor(deadline - Date.now())));
    if (target.policy.authRequired && this.environment.callerTokens)
      headers.authorization = `Bearer ${await this.environment.callerTokens.tokenFor(this.capability)}`;
    else if (target.policy.authRequired && this.environment.authToken)
      headers.authorization = `Bearer ${this.environment.authToken}`;
    const sessionId = options.sessionId ?? scope?.sessionId;
    if (sessionId) headers['x-session-id'] = sessionId;
    const result = await withOutboundCall(
      {
        headers,
        ...(target.policy.maxResponseSize === undefined
          ? {}
          : { maxResponseSize: target.policy.maxResponseSize }),
      },
      () =>
        client.callTool(
          { name: target.functionName, arguments: input as Record<string, unknown> },
          {
            timeout: timeoutMs,
            ...(signal ? { signal } : {}),
            ...(onProgress
              ? {
                  resetTimeoutOnProgress: true,
                  onprogress: (progress: { progress: number; total?: number; message?: string }) =>
                    onProgress({
                      progress: progress.progress,
                      ...(progress.total === undefined ? {} : { total: progress.total }),
                      ...(progress.message === undefined ? {} : { message: progress.message }),
                    }),
                }
              : {}),
          },
        ),
    );
    if (sessionId && target.policy.sessionRequired) this.stickiness.learn(sessionId, result);
    const provider = `${target.agentId}.${target.functionName}`;
    try {
      const value = resultValue(result as never, this.capability, provider);
      this.checkResult?.(value, provider);
      return value;
    } catch (error) {
      // The provider holds the same deadline (x-mesh-timeout-ms) and answers an error result
      // when it passes, often just before our own timer fires: for the caller that is a timeout.
      if (
        error instanceof MeshError &&
        error.code === 'remote_tool_error' &&
        Date.now() >= deadline - deadlineSlackMs
      ) {
        throw new MeshError(
          'timeout',
          `${provider} did not finish within the call's deadline (${error.message})`,
          { capability: this.capability, provider: target.agentId, cause: error },
        );
      }
      throw error;
    }
  }

  // The provider's client, its handshake bounded like the call: a provider that accepts
  // connections and never answers must not hold a call past its timeout. The handshake itself
  // goes on (a slow one serves the next call; a dead one fails and is forgotten).
  private async connected(
    endpoint: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): ReturnType<McpConnections['client']> {
    const pending = this.environment.connections.client(endpoint);
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      return await Promise.race([
        pending,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(
              new SdkError(
                SdkErrorCode.RequestTimeout,
                `no MCP handshake with ${endpoint} within ${Math.round(timeoutMs)} ms`,
              ),
            );
          }, timeoutMs);
          onAbort = () => reject(signal?.reason);
          if (signal?.aborted) onAbort();
          else signal?.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  // Within the best tier that has a provider whose circuit lets a call through and that this
  // call has not tried yet (lower tiers only when the better ones cannot take it): a session's
  // owner when it is known, else where rendezvous hashing puts the session; for calls without a
  // session, the less loaded of two choices (the round-robin next one and a random other), so a
  // slow or stuck provider, whose calls pile up, gets fewer new ones.
  private pick(
    tried: ReadonlySet<string>,
    session: string | undefined,
  ): (ProviderTarget & { policy: CallPolicy }) | undefined {
    const usable = this.targets.filter(
      (target) =>
        !tried.has(target.endpoint) && this.environment.breaker(target.endpoint).isAvailable(),
    );
    if (usable.length === 0) return undefined;
    if (session !== undefined) {
      const owner = this.stickiness.ownerOf(session);
      const known =
        owner === undefined ? undefined : usable.find((target) => target.agentId === owner);
      if (known) return known;
    }
    const bestTier = Math.min(...usable.map((target) => target.tier ?? 0));
    const tier = usable.filter((target) => (target.tier ?? 0) === bestTier);
    if (session !== undefined) return rendezvousPick(session, tier);
    const first = tier[this.next % tier.length]!;
    this.next = (this.next + 1) % 1_000_000;
    if (tier.length === 1) return first;
    const other =
      tier[
        (tier.indexOf(first) + 1 + Math.floor(Math.random() * (tier.length - 1))) % tier.length
      ]!;
    return this.load(other) < this.load(first) ? other : first;
  }

  private load(target: ProviderTarget): number {
    return this.inFlight.get(target.endpoint) ?? 0;
  }

  // The session a call belongs to, for providers whose tool needs affinity: the caller's explicit
  // choice first (options, then a `session_id` argument), then the session of the call being
  // served.
  private sessionOf(
    input: Input,
    options: CallOptions,
    scope: CallScope | undefined,
  ): string | undefined {
    if (!this.targets.some((target) => target.policy.sessionRequired)) return undefined;
    const argument =
      typeof input === 'object' && input !== null
        ? (input as Record<string, unknown>).session_id
        : undefined;
    return (
      options.sessionId ??
      (typeof argument === 'string' && argument !== '' ? argument : undefined) ??
      scope?.sessionId
    );
  }
}

// How close to the deadline an error result counts as the provider giving up on that deadline.
const deadlineSlackMs = 50;

// Every attempt at its timeout plus the largest backoff between them: the longest a call may
// take when nobody set a tighter deadline.
function totalBudget(policy: CallPolicy): number {
  let budget = policy.timeoutMs * (policy.retryCount + 1);
  for (let attempt = 0; attempt < policy.retryCount; attempt++)
    budget += policy.retryDelayMs * policy.retryBackoff ** attempt;
  return policy.streaming
    ? Math.max(budget, policy.streamTimeoutMs * (policy.retryCount + 1))
    : budget;
}

function combine(
  first: AbortSignal | undefined,
  second: AbortSignal | undefined,
): AbortSignal | undefined {
  if (!first) return second;
  if (!second) return first;
  return AbortSignal.any([first, second]);
}

function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, milliseconds);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
