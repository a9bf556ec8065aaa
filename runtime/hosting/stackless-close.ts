import type { McpServer } from '@modelcontextprotocol/server';

/** The SDK's protocol-layer hooks this file wraps (`_onclose` is internal, hence optional). */
interface CloseHooks {
  _onclose?: () => void;
  onclose?: (() => void) | undefined;
}

/**
 * Makes the close of a per-request (2026-07-28) server skip one stack trace. Such a server closes
 * after every call, and the SDK's close hook always builds a `Connection closed` error (to settle
 * anything still open) before it calls `onclose`; capturing that error's stack was ~3.5% of an
 * agent's CPU under load, and the stack only ever shows the close path itself (the exchange being
 * torn down). So the error is built without frames: same class, code and message. Stack traces
 * come back in `onclose` — before the SDK aborts handlers still running with that error, so
 * nothing else loses its trace — or when the hook returns.
 *
 * `afterClose` runs at each close, after the entry's own bookkeeping. An SDK without the internal
 * hook is left alone (and `afterClose` still runs).
 */
export function withStacklessClose(server: McpServer, afterClose?: () => void): McpServer {
  const hooks = server.server as unknown as CloseHooks;
  const close = hooks._onclose;
  if (typeof close !== 'function') {
    if (afterClose) hooks.onclose = afterClose;
    return server;
  }
  let savedLimit: number | undefined;
  const restore = () => {
    if (savedLimit === undefined) return;
    Error.stackTraceLimit = savedLimit;
    savedLimit = undefined;
  };
  hooks._onclose = function (this: unknown) {
    savedLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      close.call(this);
    } finally {
      restore();
    }
  };
  // The entry chains whatever `onclose` the factory set behind its own bookkeeping.
  hooks.onclose = () => {
    restore();
    afterClose?.();
  };
  return server;
}
