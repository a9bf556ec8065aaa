import { durationWithUnitMs } from '../config/duration.js';

/**
 * Parses a duration as written in a spec: a number of seconds (the predecessor's convention)
 * or a string with a unit (`250ms`, `5s`, `1.5m`, `2h`). Answers milliseconds, or `undefined`
 * when the value is not a duration.
 */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? value * 1_000 : undefined;
  }
  return typeof value === 'string' ? durationWithUnitMs(value) : undefined;
}

const sizePattern = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)$/i;
const bytesPerUnit: Record<string, number> = {
  b: 1,
  kb: 1_000,
  mb: 1_000_000,
  gb: 1_000_000_000,
  kib: 1_024,
  mib: 1_048_576,
  gib: 1_073_741_824,
};

/**
 * Parses a size: an integer number of bytes or a string with a unit (`512KB`, `10MB`, `1MiB`).
 * Answers whole bytes, or `undefined` when the value is not a size.
 */
export function parseSizeBytes(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value > 0 ? value : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const match = sizePattern.exec(value.trim());
  if (!match) return undefined;
  const bytes = Math.floor(
    Number(match[1]) * (bytesPerUnit[(match[2] as string).toLowerCase()] as number),
  );
  return bytes > 0 ? bytes : undefined;
}
