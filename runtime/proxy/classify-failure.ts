import { SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/server';
import { MeshError } from '../errors/mesh-error.js';
import { ResponseTooLargeError } from './outbound-headers.js';

const retryableStatuses = new Set([429, 502, 503, 504]);
// No connection was made: the request cannot have reached the provider.
const unreachedCodes = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);
// The connection broke while the request was out: the provider may have run it.
const cutCodes = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** A failed attempt, classified: what to tell the caller and whether another attempt may help. */
export interface Failure {
  readonly error: MeshError;
  /** The connection failed (refused, or cut mid-call): the provider is gone or going. */
  readonly connectionFailed: boolean;
  /**
   * The connection was cut after the request went out, so the provider may have run it: only a
   * tool whose calls may be repeated (`retry_count` > 0) is sent again.
   */
  readonly mayHaveRun?: boolean;
  /** The provider counts as failing (for its circuit breaker). */
  readonly providerFault: boolean;
  /** How long the provider asked to be left alone (`Retry-After` of a 429 or 503), in ms. */
  readonly retryAfterMs?: number;
}

/** Turns whatever an attempt threw into a MeshError with its retry semantics. */
export function classifyFailure(thrown: unknown, capability: string, provider: string): Failure {
  const details = { capability, provider, cause: thrown };
  // A provider that gives up at the call's deadline hangs as surely as one our timer cuts off.
  if (thrown instanceof MeshError)
    return { error: thrown, connectionFailed: false, providerFault: thrown.code === 'timeout' };
  if (thrown instanceof ResponseTooLargeError || causeOf(thrown) instanceof ResponseTooLargeError) {
    const limit = (
      thrown instanceof ResponseTooLargeError ? thrown : (causeOf(thrown) as ResponseTooLargeError)
    ).limit;
    return {
      error: new MeshError(
        'response_too_large',
        `${provider} answered more than max_response_size (${limit} bytes)`,
        details,
      ),
      connectionFailed: false,
      providerFault: false,
    };
  }
  if (thrown instanceof SdkHttpError) {
    if (thrown.status === 401 || thrown.status === 403) {
      return {
        error: new MeshError(
          'unauthorized',
          `${provider} refused the call (${thrown.status}); check MCP_MESH_AUTH_TOKEN, or with caller tokens this agent's MCP_MESH_CREDENTIAL_FILE and the tool's allowed_callers`,
          details,
        ),
        connectionFailed: false,
        providerFault: false,
      };
    }
    const retryable = retryableStatuses.has(thrown.status);
    const retryAfterMs = thrown.data.retryAfterMs;
    return {
      ...(typeof retryAfterMs === 'number' ? { retryAfterMs } : {}),
      error: new MeshError('transport', `${provider} answered HTTP ${thrown.status}`, {
        ...details,
        retryable,
      }),
      connectionFailed: false,
      providerFault: thrown.status >= 500 || thrown.status === 429,
    };
  }
  if (thrown instanceof SdkError && thrown.code === SdkErrorCode.RequestTimeout) {
    return {
      error: new MeshError('timeout', `${provider} did not answer in time`, details),
      connectionFailed: false,
      providerFault: true,
    };
  }
  const connectionCode = connectionFailureCode(thrown);
  if (connectionCode !== undefined) {
    return {
      // A connection cut during the handshake never carried the call itself.
      mayHaveRun:
        cutCodes.has(connectionCode) &&
        !(thrown instanceof SdkError && thrown.code === SdkErrorCode.EraNegotiationFailed),
      error: new MeshError('transport', `${provider} is unreachable: ${messageOf(thrown)}`, {
        ...details,
        retryable: true,
      }),
      connectionFailed: true,
      providerFault: true,
    };
  }
  if (thrown instanceof Error && (thrown.name === 'AbortError' || thrown.name === 'TimeoutError')) {
    return { error: MeshError.from(thrown), connectionFailed: false, providerFault: false };
  }
  if (
    thrown instanceof SdkError ||
    (thrown instanceof Error && 'code' in thrown && typeof thrown.code === 'number')
  ) {
    // A JSON-RPC error from the provider: the tool call itself was refused.
    return {
      error: new MeshError(
        'remote_tool_error',
        `${provider} refused the call: ${messageOf(thrown)}`,
        details,
      ),
      connectionFailed: false,
      providerFault: false,
    };
  }
  return {
    error: new MeshError('transport', `${provider} failed: ${messageOf(thrown)}`, details),
    connectionFailed: false,
    providerFault: true,
  };
}

function connectionFailureCode(error: unknown): string | undefined {
  for (
    let current: unknown = error, depth = 0;
    current && depth < 5;
    current = causeOf(current), depth++
  ) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (unreachedCodes.has(code) || cutCodes.has(code))) return code;
  }
  return undefined;
}

function causeOf(error: unknown): unknown {
  return error instanceof Error ? error.cause : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
