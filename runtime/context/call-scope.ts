import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What an inbound call carries down to every outbound call made while serving it: its
 * deadline, its cancellation, and the headers that propagate (trace context and the
 * allow-listed ones). Proxies read it, so a handler never has to pass these along by hand.
 */
export interface CallScope {
  /** Milliseconds since the epoch by which the whole call must be done, if bounded. */
  readonly deadline?: number;
  readonly signal?: AbortSignal;
  /** Lower-case header names to values, forwarded on every outbound call. */
  readonly headers: Readonly<Record<string, string>>;
  /** The session of the inbound call, for session affinity downstream. */
  readonly sessionId?: string;
}

const storage = new AsyncLocalStorage<CallScope>();

/** Runs `work` with `scope` as the current call scope. */
export function runInCallScope<T>(scope: CallScope, work: () => T): T {
  return storage.run(scope, work);
}

/** The scope of the call being served, or undefined outside any call. */
export function currentCallScope(): CallScope | undefined {
  return storage.getStore();
}

/** The header carrying the time left to a call's deadline, in whole milliseconds. */
export const deadlineHeader = 'x-mesh-timeout-ms';

/** The W3C trace context header, always propagated. */
export const traceparentHeader = 'traceparent';
