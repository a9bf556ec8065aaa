import type { Style } from '../output/style.js';
import { formatTable } from '../output/table.js';
import type { SpanInfo } from '../registry/registry-types.js';

/**
 * A trace as `meshctl trace` prints it: a heading, then one line per span in call-tree order
 * (indented by depth) with its service (the agent), how long it took, and how it ended; retries,
 * fail-overs and circuit-breaker rejections under the span they happened in.
 */
export function formatTraceTree(
  traceId: string,
  spans: readonly SpanInfo[],
  style: Style,
): string[] {
  const errors = spans.filter((span) => span.status === 'error').length;
  const start = Math.min(...spans.map((span) => span.start_ms));
  const end = Math.max(...spans.map((span) => span.start_ms + span.duration_ms));
  const heading = `trace ${traceId}: ${spans.length} span${spans.length === 1 ? '' : 's'}, ${errors} error${errors === 1 ? '' : 's'}, ${milliseconds(end - start)}`;
  const rows: string[][] = [];
  for (const span of spans) {
    const indent = '  '.repeat(span.depth);
    rows.push([
      `${indent}${span.name}`,
      span.instance ?? span.service,
      milliseconds(span.duration_ms),
      `+${milliseconds(span.start_ms - start)}`,
      span.status === 'error'
        ? style.red(
            `error ${String(span.attributes['error.type'] ?? '')}${span.status_message ? `: ${span.status_message}` : ''}`.trim(),
          )
        : style.green('ok'),
    ]);
    for (const event of span.events) {
      const detail = Object.entries(event.attributes)
        .map(([key, value]) => `${key.replace(/^mesh\./, '')}=${String(value)}`)
        .join(' ');
      rows.push([
        `${indent}  · ${event.name.replace(/^mesh\./, '')}`,
        '',
        '',
        `+${milliseconds(event.time_ms - start)}`,
        style.dim(detail),
      ]);
    }
  }
  return [heading, '', ...formatTable(rows, ['SPAN', 'AGENT', 'TOOK', 'AT', 'STATUS'])];
}

function milliseconds(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}
