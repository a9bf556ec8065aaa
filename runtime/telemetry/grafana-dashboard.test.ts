import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toolMetricNames } from '../hosting/tool-metrics.js';
import { dependencyMetricNames } from './dependency-metrics.js';

const dashboard = JSON.parse(
  readFileSync(new URL('../../deploy/grafana/mcp-mesh-dashboard.json', import.meta.url), 'utf8'),
) as { panels: { title: string; targets: { expr: string }[] }[] };
const registryMetrics = readFileSync(
  new URL('../../registry/metrics/routes.ts', import.meta.url),
  'utf8',
);

// Every metric the mesh exports, by the names its code registers (histograms add suffixes).
const exported = new Set([
  ...Object.values(toolMetricNames),
  ...Object.values(dependencyMetricNames),
  ...[...registryMetrics.matchAll(/name: '([a-z_]+)'/g)].map((match) => match[1]!),
]);

describe('deploy/grafana/mcp-mesh-dashboard.json', () => {
  it('queries only metrics the mesh exports, and shows each of them', () => {
    const used = new Set<string>();
    for (const panel of dashboard.panels) {
      for (const { expr } of panel.targets) {
        for (const [name] of expr.matchAll(/\b(?:mcp_mesh|mesh_registry)_[a-z_]+/g)) {
          const base = name.replace(/_(bucket|sum|count)$/, '');
          expect(exported, `${panel.title}: ${name}`).toContain(base);
          used.add(base);
        }
      }
    }
    expect([...exported].filter((name) => !used.has(name))).toEqual(['mesh_registry_watchers']);
  });

  it('follows Prometheus naming: counters end in _total, durations in _seconds', () => {
    for (const name of exported) {
      expect(name).toMatch(/^(mcp_mesh|mesh_registry)_[a-z_]+$/);
      if (name.includes('duration')) expect(name).toMatch(/_seconds$/);
    }
    expect(exported).toContain('mcp_mesh_tool_calls_total');
    expect(exported).toContain('mesh_registry_heartbeats_total');
  });
});
