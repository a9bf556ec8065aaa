import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../proxy/circuit-breaker.js';
import { DependencyMetrics } from './dependency-metrics.js';

describe('DependencyMetrics', () => {
  it('exports per-dependency counts and latency, circuit states and session figures', async () => {
    const registry = new Registry();
    const failing = new CircuitBreaker(1);
    failing.failed();
    const metrics = new DependencyMetrics(registry, {
      breakers: () => [
        ['http://127.0.0.1:9001', new CircuitBreaker()],
        ['http://127.0.0.1:9002', failing],
      ],
      affinity: () => ({
        backend: 'memory',
        sessions_owned: 3,
        forwards: 7,
        reclaims: 0,
        fallbacks_to_memory: 0,
      }),
    });
    metrics.observe('date_service', 'success', 0.004);
    metrics.observe('date_service', 'timeout', 2);
    const text = await registry.metrics();
    expect(text).toContain(
      'mcp_mesh_dependency_calls_total{capability="date_service",outcome="success"} 1',
    );
    expect(text).toContain(
      'mcp_mesh_dependency_calls_total{capability="date_service",outcome="timeout"} 1',
    );
    expect(text).toContain(
      'mcp_mesh_dependency_duration_seconds_bucket{le="0.005",capability="date_service",outcome="success"} 1',
    );
    expect(text).toContain(
      'mcp_mesh_circuit_breaker_state{endpoint="http://127.0.0.1:9001",state="closed"} 1',
    );
    expect(text).toContain(
      'mcp_mesh_circuit_breaker_state{endpoint="http://127.0.0.1:9002",state="open"} 1',
    );
    expect(text).toContain(
      'mcp_mesh_circuit_breaker_state{endpoint="http://127.0.0.1:9002",state="closed"} 0',
    );
    expect(text).toContain('mcp_mesh_sessions_owned 3');
    expect(text).toContain('mcp_mesh_session_forwards_total 7');
  });
});
