import { AsyncLocalStorage } from 'node:async_hooks';

// Headers of the one outbound call being made. The SDK client's transport takes its headers at
// construction; a fetch that reads this store gives each call its own (deadline, trace, auth).
const storage = new AsyncLocalStorage<OutboundCall>();

/** What one outbound call asks of the HTTP requests it makes. */
export interface OutboundCall {
  readonly headers: Readonly<Record<string, string>>;
  /** Bytes a response body may have; reading past it fails the call. */
  readonly maxResponseSize?: number;
}

/** Runs `work` so that every HTTP request it makes follows `call`. */
export function withOutboundCall<T>(call: OutboundCall, work: () => T): T {
  return storage.run(call, work);
}

/** The outbound call being made, if any. */
export function currentOutboundCall(): OutboundCall | undefined {
  return storage.getStore();
}

/** A response body grew past `max_response_size`; raised while reading, not after. */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  constructor(readonly limit: number) {
    super(`the response exceeded max_response_size (${limit} bytes)`);
  }
}
