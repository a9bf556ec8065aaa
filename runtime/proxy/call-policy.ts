import { parseDurationMs, parseSizeBytes } from '../kwargs/units.js';
import type { ToolKwargs } from '../metadata.js';

/** How calls to one provider's tool are made, compiled once from its kwargs. */
export interface CallPolicy {
  /** Milliseconds one attempt may take. */
  readonly timeoutMs: number;
  readonly retryCount: number;
  readonly retryDelayMs: number;
  readonly retryBackoff: number;
  readonly customHeaders: Readonly<Record<string, string>>;
  readonly authRequired: boolean;
  readonly streaming: boolean;
  /** Milliseconds a stream may stay silent. */
  readonly streamTimeoutMs: number;
  readonly maxResponseSize: number | undefined;
  readonly sessionRequired: boolean;
}

const defaults = {
  timeoutMs: 30_000,
  retryDelayMs: 100,
  retryBackoff: 2,
  streamTimeoutMs: 300_000,
};

/**
 * Compiles kwargs as they travel through the registry (durations in seconds or with a unit,
 * sizes in bytes or with a unit) into a policy. Unusable values fall back to the defaults:
 * a provider's bad setting must not break its callers.
 */
export function compileCallPolicy(kwargs: ToolKwargs): CallPolicy {
  const count = Number(kwargs.retry_count);
  const backoff = Number(kwargs.retry_backoff);
  return {
    timeoutMs: parseDurationMs(kwargs.timeout) || defaults.timeoutMs,
    retryCount: Number.isInteger(count) && count >= 0 ? Math.min(count, 100) : 0,
    retryDelayMs: parseDurationMs(kwargs.retry_delay) ?? defaults.retryDelayMs,
    retryBackoff: Number.isFinite(backoff) && backoff >= 1 ? backoff : defaults.retryBackoff,
    customHeaders: isHeaderRecord(kwargs.custom_headers) ? kwargs.custom_headers : {},
    authRequired: kwargs.auth_required === true,
    streaming: kwargs.streaming === true,
    streamTimeoutMs: parseDurationMs(kwargs.stream_timeout) || defaults.streamTimeoutMs,
    maxResponseSize: parseSizeBytes(kwargs.max_response_size),
    sessionRequired: kwargs.session_required === true || kwargs.stateful === true,
  };
}

// RFC 9110 field names (tokens) and values without line breaks or NUL: anything else would
// make every request of every call throw before it is sent.
const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const badHeaderValue = /[\r\n\0]/;

function isHeaderRecord(value: unknown): value is Record<string, string> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.entries(value).every(
      ([name, item]) =>
        headerName.test(name) && typeof item === 'string' && !badHeaderValue.test(item),
    )
  );
}
