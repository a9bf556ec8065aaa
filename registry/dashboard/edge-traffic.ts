import type { StoredSpan } from '../traces/stored-span.js';

/** Calls over one edge of the topology (a caller agent to a provider agent) in a time window. */
export interface EdgeTraffic {
  /** The calling agent's id (`service.instance.id` of its spans). */
  readonly caller: string;
  readonly provider: string;
  readonly capability: string;
  readonly calls: number;
  readonly errors: number;
  /** Calls per second over the window. */
  readonly rate: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
}

/**
 * Per-edge traffic from the proxy attempt spans (client spans naming `mesh.provider.agent_id`)
 * that started within the last `windowMs`: what the dashboard labels its edges with.
 */
export function edgeTraffic(
  spans: Iterable<StoredSpan>,
  windowMs: number,
  now = Date.now(),
): EdgeTraffic[] {
  const edges = new Map<
    string,
    { caller: string; provider: string; capability: string; durations: number[]; errors: number }
  >();
  for (const span of spans) {
    if (span.kind !== 'client' || span.start_ms < now - windowMs) continue;
    const provider = span.attributes['mesh.provider.agent_id'];
    if (typeof provider !== 'string' || span.instance === undefined) continue;
    const capability = String(span.attributes['mesh.capability'] ?? '');
    const key = `${span.instance}\n${provider}\n${capability}`;
    let edge = edges.get(key);
    if (!edge) {
      edge = { caller: span.instance, provider, capability, durations: [], errors: 0 };
      edges.set(key, edge);
    }
    edge.durations.push(span.duration_ms);
    if (span.status === 'error') edge.errors++;
  }
  return [...edges.values()].map(({ durations, ...edge }) => {
    durations.sort((a, b) => a - b);
    return {
      ...edge,
      calls: durations.length,
      rate: durations.length / (windowMs / 1000),
      p50_ms: quantile(durations, 0.5),
      p99_ms: quantile(durations, 0.99),
    };
  });
}

// Nearest rank on sorted values.
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
