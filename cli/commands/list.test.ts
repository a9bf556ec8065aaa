import { describe, expect, it } from 'vitest';
import { createStyle, stripAnsi } from '../output/style.js';
import { clockAgent, fixtureNow, greeterAgent } from '../registry/test-fixtures.js';
import { formatAgentList, shownAgents } from './list.js';

describe('meshctl list', () => {
  it('lays the agents out in aligned columns', () => {
    const lines = formatAgentList([clockAgent(), greeterAgent()], { now: fixtureNow });
    expect(lines).toEqual([
      'NAME     ID                STATUS   DEPS  CAPABILITIES  ENDPOINT               AGE  LAST SEEN',
      'clock    clock-1a2b3c4d    healthy  0/0   date_service  http://127.0.0.1:9001  5m   2s ago',
      'greeter  greeter-5e6f7a8b  healthy  1/1   greeting      http://127.0.0.1:9002  2h   1s ago',
    ]);
  });

  it('adds one aligned line per tool with --tools, saying why a tool is unavailable', () => {
    const worker = greeterAgent({
      id: 'worker-1',
      name: 'worker',
      capabilities: [
        { name: 'counting', version: '1.2.0', function_name: 'count', available: true },
        {
          name: 'auditing',
          version: '1.0.0',
          function_name: 'audit',
          tags: ['finance', 'slow'],
          available: false,
          unavailable_reason: 'a required dependency does not resolve',
        },
      ],
      total_dependencies: 1,
      dependencies_resolved: 0,
      dependency_resolutions: [
        { function_name: 'audit', capability: 'ledger', tags: [], status: 'unresolved' },
      ],
    });
    const lines = formatAgentList([clockAgent(), worker], { now: fixtureNow, tools: true });
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^clock\s+clock-1a2b3c4d\s+healthy/),
      '  get_current_date  date_service@1.0.0 [system]               available',
      expect.stringMatching(/^worker\s+worker-1\s+healthy\s+0\/1\s+counting, auditing\s/),
      '  count             counting@1.2.0                            available',
      '  audit             auditing@1.0.0 [finance, slow]  deps 0/1  unavailable: a required dependency does not resolve',
    ]);
  });

  it('shows healthy and degraded agents unless asked for all', () => {
    const agents = [
      clockAgent({ status: 'unhealthy' }),
      greeterAgent(),
      greeterAgent({ id: 'greeter-2', status: 'degraded' }),
    ];
    expect(shownAgents(agents, false).map((agent) => agent.id)).toEqual([
      'greeter-5e6f7a8b',
      'greeter-2',
    ]);
    expect(shownAgents(agents, true)).toHaveLength(3);
  });

  it('colours statuses only when asked, without breaking the alignment', () => {
    const agents = [clockAgent({ status: 'unhealthy' }), greeterAgent()];
    const plain = formatAgentList(agents, { now: fixtureNow });
    const coloured = formatAgentList(agents, { now: fixtureNow, style: createStyle(true) });
    expect(plain.join('\n')).not.toContain('\u001b[');
    expect(coloured[1]).toContain('\u001b[31munhealthy\u001b[39m');
    expect(coloured[2]).toContain('\u001b[32mhealthy\u001b[39m');
    expect(coloured.map(stripAnsi)).toEqual(plain);
  });

  it('shows an agent without a port, and missing timestamps, as -', () => {
    const [, row] = formatAgentList(
      [clockAgent({ endpoint: '', created_at: undefined, last_seen: undefined, capabilities: [] })],
      { now: fixtureNow },
    );
    expect(row).toBe('clock  clock-1a2b3c4d  healthy  0/0   -             -         -    -');
  });
});
