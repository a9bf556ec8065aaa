import { type CallScope, deadlineHeader, traceparentHeader } from '../context/call-scope.js';
import { childTraceparent } from '../context/traceparent.js';

/** What the headers of one inbound MCP request say about the call it carries. */
export interface InboundCall {
  /** What the handler runs in: deadline, signal and propagated headers. */
  readonly scope: CallScope;
  /** Aborted when the caller cancels or the deadline passes (reason: a `TimeoutError`). */
  readonly signal: AbortSignal;
  /** Milliseconds the caller granted via `x-mesh-timeout-ms`, when it did. */
  readonly budgetMs?: number;
  /** Whether the deadline (rather than the caller) aborted the call. */
  deadlineExceeded(): boolean;
  /** Stops the deadline timer and detaches from the caller's signal. */
  dispose(): void;
}

/** A header source: web `Headers`, or a lower-case record as node gives them. */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | string[] | undefined>>;

/**
 * Opens one inbound call: the deadline from `x-mesh-timeout-ms` (now + value; a value that is not
 * a non-negative number is ignored), the trace context (`traceparent` when given: the span that
 * serves the call; else a new span of the caller's trace, or a new trace when no valid
 * `traceparent` came) and the allow-listed headers.
 */
export function openInboundCall(
  headers: HeaderSource | undefined,
  cancel: AbortSignal | undefined,
  propagate: readonly string[],
  sessionId: string | undefined,
  traceparent?: string,
): InboundCall {
  return new OpenInboundCall(headers, cancel, propagate, sessionId, traceparent);
}

/**
 * One call being served. A class rather than closures: it is made for every call, and under tsx
 * each named closure also costs a `defineProperty` (the names it keeps).
 */
class OpenInboundCall implements InboundCall {
  readonly scope: CallScope;
  readonly signal: AbortSignal;
  readonly budgetMs?: number;
  private readonly controller = new AbortController();
  private readonly cancel: AbortSignal | undefined;
  private readonly onCancel: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private expired = false;

  constructor(
    headers: HeaderSource | undefined,
    cancel: AbortSignal | undefined,
    propagate: readonly string[],
    sessionId: string | undefined,
    traceparent: string | undefined,
  ) {
    const { controller } = this;
    this.signal = controller.signal;
    this.cancel = cancel;
    if (cancel?.aborted) controller.abort(cancel.reason);
    else if (cancel) {
      this.onCancel = () => controller.abort(cancel.reason);
      cancel.addEventListener('abort', this.onCancel, { once: true });
    }

    const budgetMs = parseBudget(headerValue(headers, deadlineHeader));
    if (budgetMs !== undefined) {
      this.budgetMs = budgetMs;
      if (!controller.signal.aborted) {
        if (budgetMs === 0) this.expire();
        else this.timer = setTimeout(() => this.expire(), budgetMs);
      }
    }

    const scopeHeaders: Record<string, string> = {
      [traceparentHeader]: traceparent ?? childTraceparent(headerValue(headers, traceparentHeader)),
    };
    for (const name of propagate) {
      const key = name.toLowerCase();
      if (key === traceparentHeader || key === deadlineHeader) continue;
      const value = headerValue(headers, key);
      if (value !== undefined) scopeHeaders[key] = value;
    }
    this.scope = {
      headers: scopeHeaders,
      signal: controller.signal,
      ...(budgetMs === undefined ? {} : { deadline: Date.now() + budgetMs }),
      ...(sessionId === undefined ? {} : { sessionId }),
    };
  }

  deadlineExceeded(): boolean {
    return this.expired;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.onCancel) this.cancel?.removeEventListener('abort', this.onCancel);
  }

  private expire(): void {
    this.expired = true;
    this.controller.abort(
      new DOMException(`the call's deadline of ${this.budgetMs} ms passed`, 'TimeoutError'),
    );
  }
}

/** One header's value (several values joined with `, `), or undefined when absent. */
export function headerValue(headers: HeaderSource | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof headers.get === 'function') return headers.get(name) ?? undefined;
  const value = (headers as Readonly<Record<string, string | string[] | undefined>>)[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function parseBudget(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  return Math.floor(ms);
}
