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
 * a non-negative number is ignored), the trace context (a new span of the caller's trace, or a new
 * trace when no valid `traceparent` came) and the allow-listed headers.
 */
export function openInboundCall(
  headers: HeaderSource | undefined,
  cancel: AbortSignal | undefined,
  propagate: readonly string[],
  sessionId: string | undefined,
): InboundCall {
  const controller = new AbortController();
  const onCancel = () => controller.abort(cancel?.reason);
  if (cancel?.aborted) controller.abort(cancel.reason);
  else cancel?.addEventListener('abort', onCancel, { once: true });

  const budgetMs = parseBudget(headerValue(headers, deadlineHeader));
  let timer: NodeJS.Timeout | undefined;
  let expired = false;
  const expire = () => {
    expired = true;
    controller.abort(
      new DOMException(`the call's deadline of ${budgetMs} ms passed`, 'TimeoutError'),
    );
  };
  if (budgetMs !== undefined && !controller.signal.aborted) {
    if (budgetMs === 0) expire();
    else timer = setTimeout(expire, budgetMs);
  }

  const scopeHeaders: Record<string, string> = {
    [traceparentHeader]: childTraceparent(headerValue(headers, traceparentHeader)),
  };
  for (const name of propagate) {
    const key = name.toLowerCase();
    if (key === traceparentHeader || key === deadlineHeader) continue;
    const value = headerValue(headers, key);
    if (value !== undefined) scopeHeaders[key] = value;
  }

  const scope: CallScope = {
    headers: scopeHeaders,
    signal: controller.signal,
    ...(budgetMs === undefined ? {} : { deadline: Date.now() + budgetMs }),
    ...(sessionId === undefined ? {} : { sessionId }),
  };
  return {
    scope,
    signal: controller.signal,
    ...(budgetMs === undefined ? {} : { budgetMs }),
    deadlineExceeded: () => expired,
    dispose() {
      if (timer) clearTimeout(timer);
      cancel?.removeEventListener('abort', onCancel);
    },
  };
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
