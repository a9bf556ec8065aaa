import { describe, expect, it } from 'vitest';
import { matchAgents, matchOneAgent } from '../registry/match-agent.js';
import { clockAgent, fixtureNow, greeterAgent, resolvedEvent } from '../registry/test-fixtures.js';
import { explainAgent, formatAgentStatus } from './status.js';

const registryUrl = 'http://localhost:8000';

describe('meshctl status', () => {
  it('explains a resolved dependency: provider, candidates, rejections, when', () => {
    const older = resolvedEvent({
      event_id: 1,
      event_type: 'dependency_unresolved',
      timestamp: '2026-03-01T11:00:00Z',
      data: { position: 0, capability: 'date_service', chosen: '', candidates: [], rejected: [] },
    });
    const report = explainAgent(greeterAgent(), [older, resolvedEvent()], [clockAgent()]);
    expect(report.tools[0]?.dependencies[0]).toMatchObject({
      position: 0,
      capability: 'date_service',
      version: '>=1.0.0',
      status: 'available',
      provider: {
        agent_id: 'clock-1a2b3c4d',
        tool: 'get_current_date',
        endpoint: 'http://127.0.0.1:9001',
      },
      decision: {
        event_id: 3,
        chosen: 'clock-1a2b3c4d.get_current_date',
        rejected: [
          {
            agent_id: 'clock-old',
            function_name: 'get_current_date',
            reason: 'version 0.9.0 does not satisfy >=1.0.0',
          },
        ],
      },
      unusable: [],
    });
    expect(formatAgentStatus(report, { now: fixtureNow })).toEqual([
      'greeter  greeter-5e6f7a8b  healthy',
      '  endpoint      http://127.0.0.1:9002',
      '  version       1.0.0, namespace default, typescript',
      '  up            2h (registered 2026-03-01 10:00:00Z), last seen 1s ago',
      '  dependencies  1/1 resolved',
      '',
      'tool greet  greeting@1.0.0 [demo]  available',
      '  dependency 0: date_service >=1.0.0 [system]',
      '    resolved  clock-1a2b3c4d → get_current_date at http://127.0.0.1:9001',
      '    why       1 candidate, best first: clock-1a2b3c4d.get_current_date 1.0.0 (score 0)',
      '              rejected clock-old.get_current_date: version 0.9.0 does not satisfy >=1.0.0',
      '    decided   2026-03-01 11:58:00Z (2m ago)',
    ]);
  });

  it('explains an unresolved dependency: nobody offers it, or only unusable agents do', () => {
    const unresolved = greeterAgent({
      dependencies_resolved: 0,
      dependency_resolutions: [
        {
          function_name: 'greet',
          capability: 'date_service',
          tags: ['system', ['utc', 'local'], '-beta'],
          mcp_tool: null,
          provider_agent_id: null,
          endpoint: null,
          status: 'unresolved',
        },
      ],
    });
    const event = resolvedEvent({
      event_id: 9,
      event_type: 'dependency_unresolved',
      data: {
        position: 0,
        capability: 'date_service',
        version: '^2',
        chosen: '',
        candidates: [],
        rejected: [],
      },
    });
    const alone = formatAgentStatus(explainAgent(unresolved, [event], [unresolved]), {
      now: fixtureNow,
    });
    expect(alone.slice(7)).toEqual([
      '  dependency 0: date_service ^2 [system, (utc | local), -beta]',
      '    unresolved  no provider',
      '    why         no agent offers date_service; start one that does',
      '    decided     2026-03-01 11:58:00Z (2m ago)',
    ]);
    const withUnhealthyClock = formatAgentStatus(
      explainAgent(unresolved, [event], [unresolved, clockAgent({ status: 'unhealthy' })]),
      { now: fixtureNow },
    );
    expect(withUnhealthyClock).toContain(
      '    why         not considered clock-1a2b3c4d.get_current_date: agent is unhealthy',
    );
  });

  it('ignores decisions about another agent, tool or capability, and says when none is kept', () => {
    const stale = resolvedEvent({
      data: {
        position: 0,
        capability: 'old_capability',
        chosen: 'x.y',
        candidates: [],
        rejected: [],
      },
    });
    const report = explainAgent(greeterAgent(), [
      stale,
      resolvedEvent({ agent_id: 'someone-else' }),
      resolvedEvent({ function_name: 'other_tool' }),
    ]);
    const dependency = report.tools[0]?.dependencies[0];
    expect(dependency?.decision).toBeNull();
    expect(dependency?.version).toBeUndefined();
    expect(formatAgentStatus(report, { now: fixtureNow })).toContain(
      '    why       no decision recorded (the registry records one when the outcome changes; older ones may have been trimmed)',
    );
  });

  it('numbers the positions of each tool separately and notes a decision that lags', () => {
    const agent = greeterAgent({
      capabilities: [
        { name: 'greeting', version: '1.0.0', function_name: 'greet' },
        { name: 'farewell', version: '1.0.0', function_name: 'bye', available: false },
      ],
      dependency_resolutions: [
        { function_name: 'greet', capability: 'a', status: 'unresolved' },
        { function_name: 'bye', capability: 'b', status: 'unresolved' },
        { function_name: 'greet', capability: 'c', status: 'unresolved' },
      ],
    });
    const lagging = resolvedEvent({
      function_name: 'greet',
      data: { position: 1, capability: 'c', chosen: 'p-1.c', candidates: [{ provider: 'p-1.c' }] },
    });
    const report = explainAgent(agent, [lagging]);
    expect(
      report.tools.map((tool) =>
        tool.dependencies.map((entry) => `${entry.position}:${entry.capability}`),
      ),
    ).toEqual([['0:a', '1:c'], ['0:b']]);
    expect(report.tools[1]?.available).toBe(false);
    expect(formatAgentStatus(report, { now: fixtureNow }).join('\n')).toContain(
      'the latest recorded decision (chose p-1.c) predates the current state',
    );
  });
});

describe('agent matching', () => {
  const agents = [
    clockAgent(),
    greeterAgent(),
    greeterAgent({ id: 'greeter-99', name: 'greeter' }),
    greeterAgent({ id: 'greeter', name: 'front-door' }),
  ];

  it('prefers an exact id, then an exact name, then a part of either', () => {
    expect(matchAgents(agents, 'greeter').map((agent) => agent.id)).toEqual(['greeter']);
    expect(matchAgents(agents, 'clock').map((agent) => agent.id)).toEqual(['clock-1a2b3c4d']);
    expect(matchAgents(agents, 'FRONT').map((agent) => agent.id)).toEqual(['greeter']);
    expect(matchAgents(agents, '5e6f').map((agent) => agent.id)).toEqual(['greeter-5e6f7a8b']);
    expect(matchAgents(agents, 'greeter-').map((agent) => agent.id)).toEqual([
      'greeter-5e6f7a8b',
      'greeter-99',
    ]);
  });

  it('lists the matches of an ambiguous name, and the agents there are for an unknown one', () => {
    expect(() => matchOneAgent(agents, 'greeter-', registryUrl)).toThrow(
      '"greeter-" matches 2 agents; give more of the id:\n  greeter-5e6f7a8b  greeter  healthy\n  greeter-99        greeter  healthy',
    );
    expect(() => matchOneAgent(agents, 'nobody', registryUrl)).toThrow(
      'no agent matches "nobody" at http://localhost:8000 (agents: clock-1a2b3c4d, greeter-5e6f7a8b, greeter-99, greeter); see meshctl list --all',
    );
    expect(() => matchOneAgent([], 'nobody', registryUrl)).toThrow(/has no agents; start some/);
    expect(matchOneAgent(agents, '99', registryUrl).id).toBe('greeter-99');
  });
});
