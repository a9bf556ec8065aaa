import { ProtocolError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/server';

/** A refused HTTP exchange, as the SDK's transport reports it (what classifyFailure reads). */
export interface RefusedExchange {
  readonly status: number;
  readonly statusText: string;
  /** The body, as text (already bounded by the reader). */
  readonly text: string;
  /** `Retry-After` in milliseconds, when the provider sent one (429, 503). */
  readonly retryAfterMs?: number;
}

/**
 * The error for a non-2xx answer to a call: the JSON-RPC error a modern-era provider put in a 400
 * body for this very request (as the SDK delivers it: a refusal of the call, not of the
 * transport), otherwise an `SdkHttpError` carrying the status (and `Retry-After`).
 */
export function httpFailure(exchange: RefusedExchange, requestId: number, modern: boolean): Error {
  if (exchange.status === 400 && modern) {
    const refusal = jsonRpcErrorFor(exchange.text, requestId);
    if (refusal) return refusal;
  }
  return new SdkHttpError(
    SdkErrorCode.ClientHttpNotImplemented,
    `Error POSTing to endpoint (HTTP ${exchange.status}): ${exchange.text || exchange.statusText}`,
    {
      status: exchange.status,
      statusText: exchange.statusText,
      text: exchange.text,
      ...(exchange.retryAfterMs === undefined ? {} : { retryAfterMs: exchange.retryAfterMs }),
    },
  );
}

/** A JSON-RPC error message as the SDK raises it. */
export function protocolError(error: { code: number; message: string; data?: unknown }): Error {
  return ProtocolError.fromError(error.code, error.message, error.data);
}

/** `Retry-After` (seconds or an HTTP date) in milliseconds from now; undefined when unusable. */
export function retryAfterMs(
  header: string | string[] | undefined,
  now = Date.now(),
): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function jsonRpcErrorFor(text: string, requestId: number): Error | undefined {
  try {
    const message = JSON.parse(text) as {
      id?: unknown;
      error?: { code?: unknown; message?: unknown; data?: unknown };
    };
    const error = message.error;
    if (message.id !== requestId || typeof error?.code !== 'number') return undefined;
    return protocolError({ code: error.code, message: String(error.message), data: error.data });
  } catch {
    return undefined;
  }
}
