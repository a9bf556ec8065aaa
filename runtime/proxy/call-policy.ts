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

/** A kwarg whose value could not be used, and what the policy uses instead. */
export interface KwargFallback {
  readonly kwarg: string;
  readonly value: unknown;
  /** In words, e.g. `30000 ms (the default)`. */
  readonly used: string;
}

/**
 * Compiles kwargs as they travel through the registry (durations in seconds or with a unit,
 * sizes in bytes or with a unit) into a policy. Unusable values fall back to the defaults — a
 * provider's bad setting must not break its callers — and each one is passed to `onFallback`,
 * so that it can be logged.
 */
export function compileCallPolicy(
  kwargs: ToolKwargs,
  onFallback: (fallback: KwargFallback) => void = () => {},
): CallPolicy {
  const given = (kwarg: string): unknown => kwargs[kwarg];
  const fallBack = <T>(kwarg: string, value: T, used: string): T => {
    if (given(kwarg) !== undefined) onFallback({ kwarg, value: given(kwarg), used });
    return value;
  };
  const duration = (kwarg: string, fallbackMs: number, allowZero = false): number => {
    const milliseconds = parseDurationMs(given(kwarg));
    return milliseconds !== undefined && (allowZero || milliseconds > 0)
      ? milliseconds
      : fallBack(kwarg, fallbackMs, `${fallbackMs} ms (the default)`);
  };
  const flag = (kwarg: string): boolean =>
    given(kwarg) === true || (given(kwarg) !== false && fallBack(kwarg, false, 'false'));
  const count = given('retry_count');
  const backoff = given('retry_backoff');
  const headers = given('custom_headers');
  const size = parseSizeBytes(given('max_response_size'));
  const streaming = flag('streaming');
  const sessionRequired = flag('session_required');
  const stateful = flag('stateful');
  return {
    timeoutMs: duration('timeout', defaults.timeoutMs),
    retryCount:
      typeof count === 'number' && Number.isInteger(count) && count >= 0
        ? count <= maxRetries
          ? count
          : fallBack('retry_count', maxRetries, `${maxRetries} (the most allowed)`)
        : fallBack('retry_count', 0, '0 (no retries)'),
    retryDelayMs: duration('retry_delay', defaults.retryDelayMs, true),
    retryBackoff:
      typeof backoff === 'number' && Number.isFinite(backoff) && backoff >= 1
        ? backoff
        : fallBack(
            'retry_backoff',
            defaults.retryBackoff,
            `${defaults.retryBackoff} (the default)`,
          ),
    customHeaders: isHeaderRecord(headers)
      ? headers
      : fallBack('custom_headers', {}, 'no custom headers'),
    authRequired: flag('auth_required'),
    streaming,
    streamTimeoutMs: duration('stream_timeout', defaults.streamTimeoutMs),
    maxResponseSize: size ?? fallBack('max_response_size', undefined, 'no limit'),
    sessionRequired: sessionRequired || stateful,
  };
}

// More retries than this is a typo, not a policy.
const maxRetries = 100;

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
