import { Counter, Histogram, type Registry } from 'prom-client';

/** How one tool call ended, as the `outcome` label of the tool metrics. */
export type ToolOutcome = 'success' | 'error' | 'invalid_input' | 'timeout' | 'cancelled';

/** Every outcome, in a stable order. */
export const toolOutcomes: readonly ToolOutcome[] = [
  'success',
  'error',
  'invalid_input',
  'timeout',
  'cancelled',
];

/** Names of the metrics a hosted agent exports on `/metrics`. */
export const toolMetricNames = {
  calls: 'mcp_mesh_tool_calls_total',
  errors: 'mcp_mesh_tool_errors_total',
  duration: 'mcp_mesh_tool_duration_seconds',
} as const;

/**
 * Per-tool call counters and latency. Registered on the caller's registry; a registry shared by
 * several agents of one process (tests) reuses the metrics already there.
 */
export class ToolMetrics {
  private readonly calls: Counter<'tool' | 'outcome'>;
  private readonly errors: Counter<'tool'>;
  private readonly duration: Histogram<'tool' | 'outcome'>;

  constructor(registry: Registry, tools: readonly string[]) {
    this.calls =
      existing(registry, toolMetricNames.calls) ??
      new Counter({
        name: toolMetricNames.calls,
        help: 'Tool calls served, by tool and outcome.',
        labelNames: ['tool', 'outcome'],
        registers: [registry],
      });
    this.errors =
      existing(registry, toolMetricNames.errors) ??
      new Counter({
        name: toolMetricNames.errors,
        help: 'Tool calls that failed (error, invalid input or timeout), by tool.',
        labelNames: ['tool'],
        registers: [registry],
      });
    this.duration =
      existing(registry, toolMetricNames.duration) ??
      new Histogram({
        name: toolMetricNames.duration,
        help: 'Tool call latency in seconds, by tool and outcome.',
        labelNames: ['tool', 'outcome'],
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers: [registry],
      });
    // Every tool shows up from the start, so a dashboard sees zeros rather than gaps.
    for (const tool of tools) {
      this.calls.labels({ tool, outcome: 'success' }).inc(0);
      this.errors.labels({ tool }).inc(0);
    }
  }

  /** Records one finished call. */
  observe(tool: string, outcome: ToolOutcome, seconds: number): void {
    this.calls.labels({ tool, outcome }).inc();
    this.duration.labels({ tool, outcome }).observe(seconds);
    if (outcome !== 'success' && outcome !== 'cancelled') this.errors.labels({ tool }).inc();
  }
}

function existing<T>(registry: Registry, name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}
