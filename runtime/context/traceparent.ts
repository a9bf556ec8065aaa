import { randomBytes } from 'node:crypto';

const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The `traceparent` for the next span of a trace: the parent's trace id and flags with a new span
 * id (used for the span of an inbound call and for each outbound call made from it), or a brand-new sampled trace when the caller sent none (or an
 * invalid one: all-zero ids are invalid per W3C Trace Context).
 */
export function childTraceparent(inbound: string | undefined): string {
  const match = inbound ? traceparentPattern.exec(inbound.trim().toLowerCase()) : null;
  const traceId = match?.[1];
  if (match && traceId && !/^0+$/.test(traceId) && !/^0+$/.test(match[2]!)) {
    return `00-${traceId}-${spanId()}-${match[3]}`;
  }
  return `00-${randomBytes(16).toString('hex')}-${spanId()}-01`;
}

function spanId(): string {
  return randomBytes(8).toString('hex');
}
