/** Human time spans for tables: `45s`, `3m`, `2h`, `5d`. */

/** A duration in milliseconds as one short unit, rounded down (`0s` for anything under 1 s). */
export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

/** How long ago an RFC 3339 timestamp was, relative to `now`; `-` when absent or unreadable. */
export function age(timestamp: string | undefined, now: number = Date.now()): string {
  if (!timestamp) return '-';
  const at = Date.parse(timestamp);
  return Number.isNaN(at) ? '-' : formatDuration(now - at);
}

/** `age(…)` followed by ` ago`, or `-`. */
export function ago(timestamp: string | undefined, now: number = Date.now()): string {
  const span = age(timestamp, now);
  return span === '-' ? span : `${span} ago`;
}

/** An RFC 3339 timestamp shortened to the second, in UTC: `2026-11-22 00:55:00Z`. */
export function shortTimestamp(timestamp: string): string {
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) return timestamp;
  return `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}
