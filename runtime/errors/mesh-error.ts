/**
 * The closed set of things that can go wrong when one agent calls another. Documented in
 * docs/runtime.md (a test keeps the two in step).
 */
export const meshErrorCodes = [
  /** No provider of the capability is resolved. */
  'unresolved',
  /** The call did not finish within its timeout or deadline. */
  'timeout',
  /** The call was cancelled by the caller. */
  'cancelled',
  /** Every candidate provider's circuit is open after repeated failures. */
  'circuit_open',
  /** The remote tool ran and reported an error (`isError` result or JSON-RPC error). */
  'remote_tool_error',
  /** The provider could not be reached or the connection failed. */
  'transport',
  /** The response exceeded `max_response_size`. */
  'response_too_large',
  /** The provider refused the call's credentials (401/403). */
  'unauthorized',
  /** The provider's result does not match its output schema (the proxy's result type). */
  'invalid_result',
] as const;

export type MeshErrorCode = (typeof meshErrorCodes)[number];

/**
 * An error of a mesh call: a code from a closed set, a message that says what happened and
 * what to do, the capability and provider involved, and the underlying cause.
 *
 * @example
 * try { await dateService.call({}) } catch (error) {
 *   if (MeshError.from(error).code === 'timeout') { ... }
 * }
 */
export class MeshError extends Error {
  override readonly name = 'MeshError';

  constructor(
    readonly code: MeshErrorCode,
    message: string,
    readonly details: {
      readonly capability?: string;
      readonly provider?: string;
      readonly cause?: unknown;
      readonly retryable?: boolean;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }

  /** Whether repeating the call could succeed (only for failures that are safe to repeat). */
  get retryable(): boolean {
    return this.details.retryable ?? false;
  }

  /** Any thrown value as a MeshError; MeshErrors pass through unchanged. */
  static from(error: unknown): MeshError {
    if (error instanceof MeshError) return error;
    if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
      return new MeshError(error.name === 'TimeoutError' ? 'timeout' : 'cancelled', error.message, {
        cause: error,
      });
    }
    return new MeshError('transport', error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}
