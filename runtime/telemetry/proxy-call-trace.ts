import { attribute, executeTool, serverAttributes, spanEvent } from './semantic-attributes.js';
import type { TraceSpan, Tracing } from './tracing.js';

/** The provider one attempt goes to. */
export interface AttemptTarget {
  readonly agentId: string;
  readonly functionName: string;
  readonly endpoint: string;
}

/**
 * The spans of one call through a remote proxy: an internal span for the whole call (retries,
 * fail-overs and circuit-breaker rejections are its events) and a client span per attempt,
 * whose `traceparent` goes to the provider, so the provider's span is the attempt's child.
 */
export class ProxyCallTrace {
  private readonly span: TraceSpan;

  constructor(
    private readonly tracing: Tracing,
    private readonly capability: string,
    parent: string | undefined,
  ) {
    this.span = tracing.start({
      name: `call ${capability}`,
      role: 'internal',
      parent,
      attributes: { [attribute.capability]: capability },
    });
  }

  /** Starts the span of attempt number `attempt` (0 first) at `target`. */
  attempt(target: AttemptTarget, attempt: number): TraceSpan {
    this.span.set({ [attribute.providerAgentId]: target.agentId });
    return this.tracing.start({
      name: `tools/call ${target.functionName}`,
      role: 'client',
      parent: this.span.traceparent,
      attributes: {
        [attribute.mcpMethod]: 'tools/call',
        [attribute.toolName]: target.functionName,
        [attribute.operationName]: executeTool,
        [attribute.networkProtocol]: 'http',
        [attribute.capability]: this.capability,
        [attribute.providerAgentId]: target.agentId,
        [attribute.attempt]: attempt,
        ...serverAttributes(target.endpoint),
      },
    });
  }

  /** A provider was skipped: its circuit is open. */
  circuitOpen(agentId: string): void {
    this.span.event(spanEvent.circuitOpen, { [attribute.providerAgentId]: agentId });
  }

  /** The call goes to another provider: `agentId` could not be reached. */
  failover(agentId: string, error: unknown): void {
    this.span.event(spanEvent.failover, {
      [attribute.providerAgentId]: agentId,
      [attribute.errorType]: errorCode(error),
    });
  }

  /** Attempt `attempt` follows after `delayMs`, the previous one having failed with `error`. */
  retry(attempt: number, delayMs: number, error: unknown): void {
    this.span.event(spanEvent.retry, {
      [attribute.attempt]: attempt,
      [attribute.delayMs]: Math.round(delayMs),
      [attribute.errorType]: errorCode(error),
    });
  }

  end(error?: unknown): void {
    this.span.end(error);
  }
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'error';
}
