import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AffinityStatistics } from '../affinity/session-affinity.js';
import type { CircuitState } from '../proxy/circuit-breaker.js';

/** Names of the metrics of an agent's outbound calls and sessions (beside the tool metrics). */
export const dependencyMetricNames = {
  calls: 'mcp_mesh_dependency_calls_total',
  duration: 'mcp_mesh_dependency_duration_seconds',
  breakerState: 'mcp_mesh_circuit_breaker_state',
  sessionsOwned: 'mcp_mesh_sessions_owned',
  sessionForwards: 'mcp_mesh_session_forwards_total',
} as const;

const circuitStates: readonly CircuitState[] = ['closed', 'open', 'half-open'];

/** Where the gauges read their values at scrape time. */
export interface DependencyMetricSources {
  /** Every provider endpoint's circuit, as the proxies of this agent share them. */
  readonly breakers: () => Iterable<readonly [string, { readonly state: CircuitState }]>;
  /** Session affinity's counters, when this agent has session-affine tools. */
  readonly affinity: () => AffinityStatistics | undefined;
}

/**
 * Metrics of the calls this agent makes through its injected proxies: per dependency
 * (capability) and outcome (`success` or a MeshError code) a counter and a latency histogram;
 * per provider endpoint the circuit's state (1 for the current one); the sessions it owns and the
 * calls it forwarded to their owners.
 */
export class DependencyMetrics {
  private readonly calls: Counter<'capability' | 'outcome'>;
  private readonly duration: Histogram<'capability' | 'outcome'>;

  constructor(registry: Registry, sources: DependencyMetricSources) {
    this.calls = new Counter({
      name: dependencyMetricNames.calls,
      help: 'Calls made through injected proxies, by dependency capability and outcome (success or error code).',
      labelNames: ['capability', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: dependencyMetricNames.duration,
      help: 'Latency of calls made through injected proxies in seconds (retries included), by capability and outcome.',
      labelNames: ['capability', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    new Gauge({
      name: dependencyMetricNames.breakerState,
      help: 'Circuit breaker state per provider endpoint: 1 for the current state, 0 for the others.',
      labelNames: ['endpoint', 'state'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [endpoint, breaker] of sources.breakers()) {
          for (const state of circuitStates)
            this.set({ endpoint, state }, breaker.state === state ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: dependencyMetricNames.sessionsOwned,
      help: 'Sessions of session-affine tools this replica owns.',
      registers: [registry],
      collect() {
        this.set(sources.affinity()?.sessions_owned ?? 0);
      },
    });
    new Counter({
      name: dependencyMetricNames.sessionForwards,
      help: 'Calls of session-affine tools sent on to the replica owning their session.',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(sources.affinity()?.forwards ?? 0);
      },
    });
  }

  /** Records one finished proxy call. */
  observe(capability: string, outcome: string, seconds: number): void {
    this.calls.labels({ capability, outcome }).inc();
    this.duration.labels({ capability, outcome }).observe(seconds);
  }
}
