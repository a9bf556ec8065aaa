/**
 * The trust boundary's error codes, a closed set (documented in docs/security.md, kept honest by
 * trust-error.test.ts):
 *
 * - `missing_credential`: a credential or caller token was required and none was presented;
 * - `invalid_credential`: what was presented is not a credential or token of this mesh (bad
 *   signature, malformed, signed by another key, not a credential at all);
 * - `expired`: it was valid once; mint or fetch a new one;
 * - `wrong_audience`: a caller token made for another capability;
 * - `not_permitted`: valid, but it does not cover what it was used for (another holder's agent,
 *   an admin operation, a caller a tool does not accept);
 * - `bad_configuration`: a key or credential file cannot be used (read at start-up).
 */
export const trustErrorCodes = [
  'missing_credential',
  'invalid_credential',
  'expired',
  'wrong_audience',
  'not_permitted',
  'bad_configuration',
] as const;

export type TrustErrorCode = (typeof trustErrorCodes)[number];

/** A credential or caller token was refused, or a trust setting cannot be used. */
export class TrustError extends Error {
  override readonly name = 'TrustError';

  constructor(
    readonly code: TrustErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }

  /** 401 when the caller has to present something (else), 403 when what it has is not enough. */
  get httpStatus(): 401 | 403 | 500 {
    if (this.code === 'not_permitted') return 403;
    if (this.code === 'bad_configuration') return 500;
    return 401;
  }
}
