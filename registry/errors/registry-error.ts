/**
 * The registry's error codes, a closed set; each maps to one HTTP status. Documented in
 * docs/registry.md and in the `ErrorCode` schema of spec/registry.openapi.yaml.
 */
export const registryErrorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  internal: 500,
  bad_gateway: 502,
  unavailable: 503,
} as const;

export type RegistryErrorCode = keyof typeof registryErrorStatus;

/** The body of every 4xx/5xx answer. */
export interface ErrorBody {
  readonly error: RegistryErrorCode;
  readonly message: string;
  readonly field?: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly timestamp: string;
}

/** An error the registry answers to a request: what happened and what to do about it. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';

  constructor(
    readonly code: RegistryErrorCode,
    message: string,
    readonly extra: { field?: string; details?: Record<string, unknown> } = {},
  ) {
    super(message);
  }

  get status(): number {
    return registryErrorStatus[this.code];
  }

  toBody(now: Date = new Date()): ErrorBody {
    return {
      error: this.code,
      message: this.message,
      ...(this.extra.field === undefined ? {} : { field: this.extra.field }),
      ...(this.extra.details === undefined ? {} : { details: this.extra.details }),
      timestamp: now.toISOString(),
    };
  }
}
