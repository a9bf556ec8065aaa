import type { Command } from 'commander';
import { createStyle, wantsColor } from '../output/style.js';
import { formatTable } from '../output/table.js';
import { RegistryClient } from '../registry/registry-client.js';
import type { TraceSummary } from '../registry/registry-types.js';
import { addRegistryOptions, registryUrlFrom } from '../registry/registry-url.js';
import { formatTraceTree } from '../tracing/trace-tree.js';
import { UsageError } from '../usage-error.js';

interface TraceFlags {
  registryUrl?: string;
  json?: boolean;
  limit: string;
}

export function registerTrace(program: Command): void {
  addRegistryOptions(
    program
      .command('trace')
      .description(
        "a trace's call tree from the spans the registry keeps (agents, tools, durations, errors); no id: the recent traces",
      )
      .argument('[trace-id]', 'the trace (32 hex digits), as `meshctl call --trace` prints it'),
  )
    .option('--limit <n>', 'without an id: at most this many recent traces, 1 to 500', '20')
    .action(async (traceId: string | undefined, flags: TraceFlags) => {
      const client = new RegistryClient(registryUrlFrom(flags.registryUrl));
      const style = createStyle(wantsColor(process.stdout));
      if (traceId === undefined) {
        const limit = Number(flags.limit);
        if (!/^\d+$/.test(flags.limit.trim()) || limit < 1 || limit > 500) {
          throw new UsageError(`--limit "${flags.limit}" must be a whole number from 1 to 500`);
        }
        const { traces } = await client.recentTraces(limit);
        if (flags.json) console.log(JSON.stringify({ traces }, null, 2));
        else if (traces.length === 0) {
          console.log(
            `no traces at ${client.baseUrl}; run agents with OTEL_EXPORTER_OTLP_ENDPOINT=${client.baseUrl} (meshctl start --trace does), then meshctl call --trace`,
          );
        } else console.log(formatRecentTraces(traces).join('\n'));
        return;
      }
      if (!/^[0-9a-fA-F]{32}$/.test(traceId)) {
        throw new UsageError(`"${traceId}" is not a trace id: write its 32 hexadecimal digits`);
      }
      const trace = await client.trace(traceId.toLowerCase());
      if (flags.json) console.log(JSON.stringify(trace, null, 2));
      else console.log(formatTraceTree(trace.trace_id, trace.spans, style).join('\n'));
    });
}

/** The recent traces: id, when, root span, spans, errors, duration. */
export function formatRecentTraces(traces: readonly TraceSummary[]): string[] {
  return formatTable(
    traces.map((trace) => [
      trace.trace_id,
      new Date(trace.start_ms).toISOString().slice(11, 23),
      `${trace.service}: ${trace.name}`,
      String(trace.span_count),
      String(trace.error_count),
      `${trace.duration_ms.toFixed(1)} ms`,
    ]),
    ['TRACE', 'STARTED (UTC)', 'ROOT', 'SPANS', 'ERRORS', 'TOOK'],
  );
}
