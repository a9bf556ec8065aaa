import { randomFillSync } from 'node:crypto';

const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The `traceparent` for the next span of a trace: the parent's trace id and flags with a new span
 * id (used for the span of an inbound call and for each outbound call made from it), or a
 * brand-new sampled trace when the caller sent none (or an invalid one: all-zero ids are invalid
 * per W3C Trace Context).
 */
export function childTraceparent(inbound: string | undefined): string {
  const match = inbound ? traceparentPattern.exec(inbound.trim().toLowerCase()) : null;
  const traceId = match?.[1];
  if (match && traceId && !/^0+$/.test(traceId) && !/^0+$/.test(match[2]!)) {
    return `00-${traceId}-${randomHex(8)}-${match[3]}`;
  }
  return `00-${randomHex(16)}-${randomHex(8)}-01`;
}

/** Bytes drawn from the CSPRNG at once: one draw serves hundreds of ids. */
const poolSize = 4096;
const pool = Buffer.allocUnsafe(poolSize);
let poolNext = poolSize;

/**
 * `bytes` (at most {@link poolSize}) cryptographically random bytes as hex, each byte used once.
 * Taken from a pool refilled in batches: a `randomBytes` call per id was a visible share of an
 * agent's CPU per call.
 */
function randomHex(bytes: number): string {
  if (poolNext + bytes > poolSize) {
    randomFillSync(pool);
    poolNext = 0;
  }
  const hex = pool.toString('hex', poolNext, poolNext + bytes);
  poolNext += bytes;
  return hex;
}
